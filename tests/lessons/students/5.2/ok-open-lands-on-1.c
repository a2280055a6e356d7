/* A student's append.c: close(1), then open() returns 1 -- no dup2, nothing to close.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        close(STDOUT_FILENO);
        if (open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644) < 0) {
            perror(argv[1]);
            _exit(1);
        }
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
