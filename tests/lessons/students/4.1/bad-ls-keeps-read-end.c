/* A student's mypipe.c: ls's child closes only the end it dup2'd -- ls inherits the read
   end as fd 3. The output is right; the fd leaks.
   verdict: fail "ls and wc get only fds 0, 1 and 2" "close both ends of the pipe in each child" */
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
    close(fd[0]);
    close(fd[1]);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
    return 0;
}
