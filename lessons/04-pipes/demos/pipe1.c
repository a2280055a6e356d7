/* A pipe: two fds, one to write, one to read; fork shares them between parent and child. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd[2];
    pipe(fd);                            /* fd[0]: read end, fd[1]: write end */
    printf("pipe() gave fd %d (read end) and fd %d (write end)\n", fd[0], fd[1]);
    fflush(stdout);
    if (fork() == 0) {                   /* the child reads */
        close(fd[1]);                    /* it will never write: close its write end */
        char buf[100];
        ssize_t n;
        while ((n = read(fd[0], buf, sizeof buf)) > 0)
            printf("child read %zd bytes: %.*s", n, (int)n, buf);
        printf("child: read returned 0 -- end of file, every write end is closed\n");
        return 0;
    }
    close(fd[0]);                        /* the parent writes */
    const char *msg = "hello through the pipe\n";
    write(fd[1], msg, strlen(msg));
    close(fd[1]);                        /* without this the child would wait forever */
    wait(NULL);
    return 0;
}
