/* A student's redir.c: fcntl(F_DUPFD) onto a closed 1 and a closed 2 (it takes the
   lowest free fd >= its argument), then the extra fd closed.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(argv[1], O_CREAT | O_TRUNC | O_WRONLY, 0644);
        close(1);
        fcntl(fd, F_DUPFD, 1);
        close(2);
        fcntl(fd, F_DUPFD, 2);
        close(fd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
