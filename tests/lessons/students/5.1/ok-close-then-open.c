/* A student's redir.c: close(1) first, so open() returns 1 itself (the lowest free fd);
   then dup2(1, 2). There is no extra fd to close.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        close(1);
        if (open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644) != 1)
            _exit(1);
        dup2(1, 2);
        execvp(argv[2], &argv[2]);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
