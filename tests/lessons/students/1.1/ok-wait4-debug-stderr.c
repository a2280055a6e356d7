/* A student's fan.c: wait4(-1, ...) until ECHILD, counting what it reaped, and debug
   lines on stderr (the statement only fixes stdout).
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), reaped = 0, sum = 0, status;
    pid_t pid;

    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        if ((pid = fork()) == 0) {
            printf("child %d: pid %d, parent %d\n", i, getpid(), getppid());
            fflush(stdout);
            exit(i);
        }
        fprintf(stderr, "debug: forked %d\n", pid);
    }
    while ((pid = wait4(-1, &status, 0, NULL)) > 0) {
        fprintf(stderr, "debug: reaped %d\n", pid);
        reaped++;
        sum += WEXITSTATUS(status);
    }
    if (errno != ECHILD)
        perror("wait4");
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), reaped, sum);
    return 0;
}
