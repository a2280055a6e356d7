/* A student's status.c: perror(argv[1]) after a failed exec -- `CMD: reason`, without
   the `status: ` the statement asks for.
   verdict: fail "a command that cannot be run: status 127, and why on stderr" "as `status: CMD: reason`" */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        printf("killed by signal %d\n", WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    printf("exited with %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status);
}
