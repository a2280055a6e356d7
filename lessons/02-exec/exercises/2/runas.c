/* runas.c -- lesson 2, exercise 2: run a program under another name.
 *
 *   ./runas NAME PROG [ARGS...]
 *
 * Become PROG (searched in PATH, as execvp does) with argv = NAME ARGS...: the
 * program's argv[0] is NAME, not PROG. No fork: this process becomes PROG. If
 * PROG cannot be run, print "runas: PROG: <reason>" on stderr and exit with
 * 127.
 *
 * Check it with:  minilesson check 2.2
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s NAME PROG [ARGS...]\n", argv[0]);
        return 2;
    }

    /* TODO: exec PROG (argv[2]) with argv NAME (argv[1]), then ARGS
     * (argv[3]...). */

    fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(ENOSYS));
    return 127;
}
