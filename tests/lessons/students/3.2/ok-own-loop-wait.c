/* A student's retry.c: no run() helper -- fork, execvp and wait() inline, a do-while
   that stops at the first success.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), k = 0, status;
    do {
        k++;
        fflush(stdout);
        if (fork() == 0) {
            execvp(argv[2], argv + 2);
            fprintf(stderr, "retry: %s: %s\n", argv[2], strerror(errno));
            _exit(127);
        }
        wait(&status);
        if (WIFSIGNALED(status))
            printf("attempt %d: killed by signal %d\n", k, WTERMSIG(status));
        else
            printf("attempt %d: exited with %d\n", k, WEXITSTATUS(status));
    } while (k < n && !(WIFEXITED(status) && WEXITSTATUS(status) == 0));
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
