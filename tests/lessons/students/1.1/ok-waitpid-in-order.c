/* A student's fan.c: the pids kept in an array, each child waited for by its pid, in
   order; snprintf + write, so nothing is buffered when it forks.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 0;
    pid_t pids[64];
    char line[128];
    int sum = 0;

    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            int len = snprintf(line, sizeof line, "child %d: pid %d, parent %d\n",
                               i + 1, getpid(), getppid());
            write(1, line, len);
            _exit(i + 1);
        }
    }
    for (int i = 0; i < n; i++) {
        int status;
        waitpid(pids[i], &status, 0);
        sum += WEXITSTATUS(status);
    }
    int len = snprintf(line, sizeof line,
                       "parent %d: reaped %d children, statuses add up to %d\n",
                       getpid(), n, sum);
    write(1, line, len);
    return 0;
}
