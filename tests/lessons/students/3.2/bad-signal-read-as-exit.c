/* A student's retry.c: WEXITSTATUS of a child killed by a signal (0), so a killed
   command counts as a success.
   verdict: fail "a command killed by a signal" "killed by SIGTERM twice" */
#include <stdio.h>
#include <stdlib.h>
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
        printf("attempt %d: exited with %d\n", k, WEXITSTATUS(status));
        if (WEXITSTATUS(status) == 0)
            break;
    }
    return WEXITSTATUS(status);
}
