/* The classic pipe bug: a write end left open means the reader never sees end of file.
 *   ./hang        the child keeps a copy of the write end: wc -l waits forever
 *   ./hang fixed  the child closes it before exec: wc -l prints 3
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int fixed = argc > 1 && strcmp(argv[1], "fixed") == 0;
    int fd[2];
    pipe(fd);
    if (fork() == 0) {
        dup2(fd[0], 0);                  /* stdin is now the pipe's read end */
        close(fd[0]);
        if (fixed)
            close(fd[1]);                /* the line the buggy version forgot */
        execlp("wc", "wc", "-l", (char *)NULL);
        _exit(127);
    }
    close(fd[0]);
    write(fd[1], "one\ntwo\nthree\n", 14);
    close(fd[1]);                        /* the parent's copy is closed, but not wc's own */
    wait(NULL);
    return 0;
}
