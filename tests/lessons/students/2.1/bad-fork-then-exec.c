/* A student's myexec.c: forks a child to run PROG and waits for it -- a shell's job, not
   exec's: the program runs in another process.
   verdict: fail "the pid survives exec" "do not fork" */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    printf("pid %d: exec %s\n", getpid(), argv[1]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "myexec: ");
        perror(argv[1]);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
