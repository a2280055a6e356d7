/* A student's retry.c: the attempts are right, but main returns 0 -- a command that
   never succeeded looks like a success to the shell.
   verdict: fail "it gives up after N attempts, with the last status" "then exit with its status 1" */
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
        if (WIFSIGNALED(status))
            printf("attempt %d: killed by signal %d\n", k, WTERMSIG(status));
        else
            printf("attempt %d: exited with %d\n", k, WEXITSTATUS(status));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            break;
    }
    return 0;
}
