/* retry.c -- lesson 3, exercise 2: run a command until it succeeds.
 *
 *   ./retry N CMD [ARGS...]
 *
 * Run CMD ARGS... up to N times, stopping at the first attempt that exits with
 * 0. After each attempt K print
 *
 *     attempt K: exited with S          or      attempt K: killed by signal S
 *
 * Exit the way a shell sets $? for the last attempt: S, or 128 + S for a
 * signal.
 *
 * Check it with:  minilesson check 3.2
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run argv[0..] in a child and wait: its wait status (as waitpid fills it). */
static int run(char *argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s N CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);

    /* TODO: up to n attempts; stop at the first success; print a line after
     * each. */
    (void)n;
    int status = run(argv + 2);
    printf("attempt 1: exited with %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status);
}
