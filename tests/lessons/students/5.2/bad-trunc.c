/* A student's append.c: O_TRUNC where O_APPEND belongs -- each run replaces the file.
   verdict: fail "a second run appends; nothing is lost" "must leave the three lines" */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (fork() == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        close(fd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
