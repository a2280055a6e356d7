/* A student's append.c: opened for writing, then O_APPEND switched on with
   fcntl(F_SETFL) before dup2 -- the same open file, the same flag; wait() for the child.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (fork() == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
        dup2(fd, 1);
        close(fd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
