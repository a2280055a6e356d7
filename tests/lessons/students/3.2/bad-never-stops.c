/* A student's retry.c: runs the command N times whatever happens.
   verdict: fail "it stops at the first success" "then exit 0" */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), status = 0;
    for (int k = 1; k <= n; k++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        waitpid(pid, &status, 0);
        if (WIFSIGNALED(status))
            printf("attempt %d: killed by signal %d\n", k, WTERMSIG(status));
        else
            printf("attempt %d: exited with %d\n", k, WEXITSTATUS(status));
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
