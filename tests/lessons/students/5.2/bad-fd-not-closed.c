/* A student's append.c: no close() after dup2 -- the command inherits fd 3.
   verdict: fail "fd 1 is opened with O_APPEND, and no other fd leaks" "close the fd you opened" */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (fork() == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, 1);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
