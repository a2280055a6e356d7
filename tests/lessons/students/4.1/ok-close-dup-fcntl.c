/* A student's mypipe.c: the old way, close(1) then dup() (the lowest free fd is 1) for
   ls, and fcntl(F_DUPFD, 0) onto a closed 0 for wc; waitpid for each pid.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    pipe(p);
    pid_t writer = fork();
    if (writer == 0) {
        close(1);
        dup(p[1]);
        close(p[0]);
        close(p[1]);
        execlp("ls", "ls", (char *)NULL);
        perror("ls");
        _exit(127);
    }
    pid_t reader = fork();
    if (reader == 0) {
        close(0);
        fcntl(p[0], F_DUPFD, 0);
        close(p[0]);
        close(p[1]);
        execlp("wc", "wc", "-l", (char *)NULL);
        perror("wc");
        _exit(127);
    }
    close(p[0]);
    close(p[1]);
    waitpid(writer, NULL, 0);
    waitpid(reader, NULL, 0);
    return 0;
}
