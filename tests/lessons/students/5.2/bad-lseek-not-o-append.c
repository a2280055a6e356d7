/* A student's append.c: lseek to the end instead of O_APPEND -- right for one writer,
   but two writers overwrite each other; `>>` promises O_APPEND.
   verdict: fail "fd 1 is opened with O_APPEND, and no other fd leaks" "must be opened with O_APPEND" */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (fork() == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
        lseek(fd, 0, SEEK_END);
        dup2(fd, 1);
        close(fd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
