/* A student's retry.c: the starter's run(), a for loop with break, and a debug line on
   stderr per attempt.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char *argv[])
{
    fflush(stdout);
    pid_t pid = fork();
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
    int n = atoi(argv[1]), status = 0, code = 0;
    for (int k = 1; k <= n; k++) {
        fprintf(stderr, "retry: attempt %d of %d\n", k, n);
        status = run(argv + 2);
        if (WIFEXITED(status)) {
            code = WEXITSTATUS(status);
            printf("attempt %d: exited with %d\n", k, code);
            if (code == 0)
                break;
        } else {
            code = 128 + WTERMSIG(status);
            printf("attempt %d: killed by signal %d\n", k, WTERMSIG(status));
        }
    }
    return code;
}
