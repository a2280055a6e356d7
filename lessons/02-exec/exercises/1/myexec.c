/* myexec.c -- lesson 2 exercise: announce yourself, then become another
 * program.
 *
 *   ./myexec PROG [ARGS...]
 *
 * Print exactly one line, "pid P: exec PROG" (P: your pid), then replace this
 * program with PROG, searched in PATH, with the arguments PROG ARGS... (so
 * PROG's argv[0] is PROG). If the exec fails, print "myexec: PROG: <reason>" on
 * stderr (perror does it) and exit with status 127, like a shell's "command not
 * found". Without arguments: print "usage: myexec PROG [ARGS...]" on stderr and
 * exit with 2.
 *
 * Check it with:  minilesson check 2
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: myexec PROG [ARGS...]\n");
        return 2;
    }
    printf("pid %d: exec %s\n", getpid(), argv[1]);

    /* TODO: replace this program with argv[1], giving it argv + 1 as its argv.
     */

    /* TODO: only reached when the exec failed: say why, exit with 127. */
    return 0;
}
