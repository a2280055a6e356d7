/* A student's status.c: posix_spawnp, which reports a failed exec as its return value
   (an errno), and wait(). The child is still a child: the statement holds.
   verdict: pass */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char *argv[])
{
    pid_t pid;
    int err = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
    if (err != 0) {
        fprintf(stderr, "status: %s: %s\n", argv[1], strerror(err));
        printf("exited with 127\n");
        return 127;
    }
    int status;
    wait(&status);
    if (WIFSIGNALED(status)) {
        printf("killed by signal %d\n", WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    printf("exited with %d\n", WEXITSTATUS(status));
    return WEXITSTATUS(status);
}
