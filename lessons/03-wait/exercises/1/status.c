/* status.c -- lesson 3 exercise: run a command and say how it ended.
 *
 *   ./status CMD [ARGS...]
 *
 * Run CMD ARGS... in a child (fork, then execvp in the child; if the exec fails
 * the child prints "status: CMD: <reason>" on stderr and exits with 127). Wait
 * for the child, then print
 *
 *     exited with N            when it exited with status N
 *     killed by signal N       when signal N killed it
 *
 * and exit the way a shell sets $?: N when it exited, 128 + N when it was
 * killed.
 *
 * Check it with:  minilesson check 3
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CMD [ARGS...]\n", argv[0]);
        return 2;
    }

    /* TODO: fork; in the child, execvp(argv[1], argv + 1). */

    int status = 0;
    /* TODO: wait for the child, then print how it ended and exit like a shell.
     */
    printf("exited with %d\n", status);
    return status;
}
