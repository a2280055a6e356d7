/* append.c -- lesson 5, exercise 2: CMD >> FILE.
 *
 *   ./append FILE CMD [ARGS...]
 *
 * Run CMD ARGS... in a child whose fd 1 is FILE opened for appending
 * (O_WRONLY | O_CREAT | O_APPEND, mode 0644), as a shell does for
 * `CMD >> FILE`. The command must get fds 0, 1 and 2 only. Wait for it and
 * exit with its status.
 *
 * Check it with:  minilesson check 5.2
 */
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
    if (pid == 0) {
        /* TODO: open argv[1] for appending and make it fd 1. */
        execvp(argv[2], argv + 2);
        fprintf(stderr, "append: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
