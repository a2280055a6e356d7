/* A student's mypipe.c: forks, closes, and returns without waiting for its children.
   verdict: fail "it prints what `ls | wc -l` prints" "call waitpid() for every child" */
#include <unistd.h>

int main(void)
{
    int fd[2];
    pipe(fd);
    if (fork() == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execlp("ls", "ls", (char *)NULL);
        _exit(127);
    }
    if (fork() == 0) {
        dup2(fd[0], 0);
        close(fd[0]);
        close(fd[1]);
        execlp("wc", "wc", "-l", (char *)NULL);
        _exit(127);
    }
    close(fd[0]);
    close(fd[1]);
    return 0;
}
