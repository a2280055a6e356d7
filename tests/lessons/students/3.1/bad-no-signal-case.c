/* A student's status.c: only WIFEXITED is looked at -- a killed child reads as
   `exited with 0`.
   verdict: fail "a command killed by a signal" "must print `killed by signal" */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "status: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("exited with %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status);
}
