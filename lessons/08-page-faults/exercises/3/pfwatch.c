/* pfwatch.c -- lesson 8, exercise 3: the page faults of another program.
 *
 *   ./pfwatch CMD [ARGS...]
 *
 * Run CMD, wait for it, and print on stderr the page faults it caused:
 *
 *     minor M major J
 *
 * from the child's resource usage (wait4's struct rusage, or
 * getrusage(RUSAGE_CHILDREN) after waiting). Exit with CMD's status (128 + N if
 * signal N killed it).
 *
 * Check it with:  minilesson check 8.3
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "pfwatch: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    long minor = 0, major = 0;

    /* TODO: the child's page faults. */

    fprintf(stderr, "minor %ld major %ld\n", minor, major);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
