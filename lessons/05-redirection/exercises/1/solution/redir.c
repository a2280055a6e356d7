/* Reference solution of lesson 5's exercise: run a command as the shell
 * runs `CMD ARGS... > FILE 2>&1`.
 *
 *   ./redir FILE CMD [ARGS...]
 *
 * In a child: open FILE for writing (create it with mode 0644, truncate
 * it), make fd 1 and fd 2 refer to it, close the fd open() returned, and
 * exec CMD ARGS... (searched in PATH). CMD must see exactly fds 0, 1
 * and 2. The parent waits and exits with CMD's exit status.
 *
 * Check it with:  minilesson check 5
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: redir FILE CMD [ARGS...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            perror(argv[1]);
            _exit(1);
        }
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
