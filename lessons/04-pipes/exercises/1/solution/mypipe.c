/* Reference solution of lesson 4's exercise. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t stage(int fd[2], int end, int target, const char *prog,
                   const char *arg)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        dup2(fd[end], target);
        close(fd[0]);
        close(fd[1]);
        execlp(prog, prog, arg, (char *)NULL);
        perror(prog);
        _exit(127);
    }
    return pid;
}

int main(void)
{
    int fd[2];
    if (pipe(fd) < 0) {
        perror("pipe");
        return 1;
    }
    pid_t ls = stage(fd, 1, 1, "ls", NULL);
    pid_t wc = stage(fd, 0, 0, "wc", "-l");
    close(fd[0]);
    close(fd[1]);
    waitpid(ls, NULL, 0);
    waitpid(wc, NULL, 0);
    return 0;
}
