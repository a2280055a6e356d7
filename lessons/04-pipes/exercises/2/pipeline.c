/* pipeline.c -- lesson 4, exercise 2: a pipeline of any length.
 *
 *   ./pipeline CMD1 [ARGS...] -- CMD2 [ARGS...] [-- CMD3 [ARGS...] ...]
 *
 * Runs CMD1 | CMD2 | CMD3 ... as a shell would: one child per stage, a pipe
 * between each stage and the next (dup2 onto stdout and stdin), every unused
 * pipe end closed, no shell in between. Waits for every stage; exits with the
 * last stage's exit status.
 *
 * Check it with:  minilesson check 4.2
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STAGES 32

int main(int argc, char *argv[])
{
    char **stages[MAX_STAGES];
    int n = 0;
    stages[n++] = &argv[1];
    for (int i = 1; i < argc && n < MAX_STAGES; i++)
        /* end this stage's argv, start the next */
        if (strcmp(argv[i], "--") == 0) {
            argv[i] = NULL;
            stages[n++] = &argv[i + 1];
        }

    /* TODO: connect the stages with pipes. For now only the first one runs. */
    pid_t pid = fork();
    if (pid == 0) {
        execvp(stages[0][0], stages[0]);
        fprintf(stderr, "pipeline: %s: %s\n", stages[0][0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
