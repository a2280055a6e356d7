/* A student's pipeline.c: every pipe made first, in an array; each child dup2's its two
   ends and closes them all; the parent closes them all and waits for every pid, keeping
   the last stage's status.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char **stage[64];
    int n = 0;
    stage[n++] = &argv[1];
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            stage[n++] = &argv[i + 1];
        }
    int fds[64][2];
    for (int k = 0; k < n - 1; k++)
        pipe(fds[k]);
    pid_t pids[64];
    for (int k = 0; k < n; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            if (k > 0)
                dup2(fds[k - 1][0], 0);
            if (k < n - 1)
                dup2(fds[k][1], 1);
            for (int j = 0; j < n - 1; j++) {
                close(fds[j][0]);
                close(fds[j][1]);
            }
            execvp(stage[k][0], stage[k]);
            perror(stage[k][0]);
            _exit(127);
        }
    }
    for (int j = 0; j < n - 1; j++) {
        close(fds[j][0]);
        close(fds[j][1]);
    }
    int status, last = 0;
    for (int k = 0; k < n; k++) {
        waitpid(pids[k], &status, 0);
        if (k == n - 1)
            last = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return last;
}
