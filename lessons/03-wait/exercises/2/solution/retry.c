/* Reference solution of lesson 3, exercise 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run argv[0..] in a child and wait: its wait status (as waitpid fills
   it). */
static int run(char *argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s N CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]), status = 0;
    for (int k = 1; k <= n; k++) {
        status = run(argv + 2);
        if (WIFSIGNALED(status))
            printf("attempt %d: killed by signal %d\n", k,
                   WTERMSIG(status));
        else
            printf("attempt %d: exited with %d\n", k, WEXITSTATUS(status));
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            break;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                               : WEXITSTATUS(status);
}
