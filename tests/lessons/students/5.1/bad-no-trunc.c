/* A student's redir.c: O_WRONLY | O_CREAT without O_TRUNC -- a shorter output leaves the
   old file's tail.
   verdict: fail "an existing file is truncated" "O_TRUNC" */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
