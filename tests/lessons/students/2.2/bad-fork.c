/* A student's runas.c: forks and waits, as if it were a shell.
   verdict: fail "runas execs: the tracer sees no fork" "no fork needed" */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char *prog = argv[2];
    argv[2] = argv[1];
    pid_t pid = fork();
    if (pid == 0) {
        execvp(prog, argv + 2);
        fprintf(stderr, "runas: %s: %s\n", prog, strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
