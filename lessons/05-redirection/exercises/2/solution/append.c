/* Reference solution of lesson 5, exercise 2. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0) {
            fprintf(stderr, "append: %s: %s\n", argv[1], strerror(errno));
            _exit(1);
        }
        /* fd 1 -> the file, every write at its end */
        dup2(fd, 1);
        close(fd);                       /* the command gets no fd 3 */
        execvp(argv[2], argv + 2);
        fprintf(stderr, "append: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                               : WEXITSTATUS(status);
}
