/* A student's status.c: `return status;` -- the raw wait status (3 << 8), of which the
   shell sees the low 8 bits: 0.
   verdict: fail "a command that exits with a status" "as a shell's $? would be" */
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
    if (WIFEXITED(status))
        printf("exited with %d\n", WEXITSTATUS(status));
    else
        printf("killed by signal %d\n", WTERMSIG(status));
    return status;
}
