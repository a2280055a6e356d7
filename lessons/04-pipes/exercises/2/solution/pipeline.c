/* Reference solution of lesson 4, exercise 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STAGES 32

int main(int argc, char *argv[])
{
    char **stages[MAX_STAGES];
    int n = 0;
    stages[n++] = &argv[1];
    for (int i = 1; i < argc && n < MAX_STAGES; i++)
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            stages[n++] = &argv[i + 1];
        }
    /* read end of the previous pipe */
    int in = -1;
    pid_t last = -1;
    for (int k = 0; k < n; k++) {
        int p[2] = {-1, -1};
        if (k < n - 1 && pipe(p) < 0) {
            perror("pipe");
            return 1;
        }
        pid_t pid = fork();
        if (pid == 0) {
            if (in >= 0) {
                dup2(in, 0);
                close(in);
            }
            if (p[1] >= 0) {
                dup2(p[1], 1);
                close(p[0]);
                close(p[1]);
            }
            execvp(stages[k][0], stages[k]);
            fprintf(stderr, "pipeline: %s: %s\n", stages[k][0],
                    strerror(errno));
            _exit(127);
        }
        if (in >= 0)
            /* the parent keeps no pipe end it does not need */
            close(in);
        if (p[1] >= 0)
            close(p[1]);
        in = p[0];
        last = pid;
    }
    int status, result = 0;
    pid_t pid;
    while ((pid = wait(&status)) > 0)
        if (pid == last)
            result = WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                         : WEXITSTATUS(status);
    return result;
}
