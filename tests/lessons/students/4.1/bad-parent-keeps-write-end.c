/* A student's mypipe.c: the parent waits without closing its copy of the pipe -- wc
   never sees end of file, and everyone waits forever.
   verdict: fail "it prints what `ls | wc -l` prints" "every copy of the pipe's write end is closed" */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd[2];
    pipe(fd);
    pid_t a = fork();
    if (a == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execlp("ls", "ls", (char *)NULL);
        _exit(127);
    }
    pid_t b = fork();
    if (b == 0) {
        dup2(fd[0], 0);
        close(fd[0]);
        close(fd[1]);
        execlp("wc", "wc", "-l", (char *)NULL);
        _exit(127);
    }
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    return 0;
}
