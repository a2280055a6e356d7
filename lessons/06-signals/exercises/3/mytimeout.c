/* mytimeout.c -- lesson 6, exercise 3: a small timeout(1).
 *
 *   ./mytimeout SECS CMD [ARGS...]
 *
 * Run CMD. If it is still running after SECS seconds (a decimal number), send
 * it SIGTERM, wait for it and exit with 124. If it ends before, exit at once
 * with its status, or 128 + N if signal N killed it.
 *
 * Check it with:  minilesson check 6.3
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SECS CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    double secs = atof(argv[1]);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "mytimeout: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }

    /* TODO: wait at most secs seconds; then SIGTERM the command and exit 124.
     */
    (void)secs;
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
