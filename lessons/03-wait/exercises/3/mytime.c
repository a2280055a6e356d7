/* mytime.c -- lesson 3, exercise 3: a small time(1).
 *
 *   ./mytime CMD [ARGS...]
 *
 * Run CMD in a child, wait for it with wait4() (waitpid that also fills a
 * struct rusage with the child's CPU time and page faults), and print on stderr
 *
 *     real R user U sys S faults F
 *
 * R: wall-clock seconds (CLOCK_MONOTONIC), U and S: the child's CPU seconds in
 * user and kernel mode, all with 2 decimals; F: the child's minor page faults
 * (ru_minflt). Then exit as a shell sets $?: the status, or 128 + the signal.
 *
 * Check it with:  minilesson check 3.3
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
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
        fprintf(stderr, "mytime: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);

    /* TODO: time the run, wait with wait4() to get the child's rusage, print
     * it. */
    fprintf(stderr, "real %.2f user %.2f sys %.2f faults %ld\n", 0.0, 0.0,
            0.0, 0L);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
