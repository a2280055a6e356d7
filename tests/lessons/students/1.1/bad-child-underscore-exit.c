/* A student's fan.c: the child calls _exit right after printf, so its line, still in
   stdio's buffer when stdout is a pipe, is never written.
   verdict: fail "every child prints its line once" "loses its line in stdio's buffer" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), sum = 0, status;

    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        if (fork() == 0) {
            printf("child %d: pid %d, parent %d\n", i, getpid(), getppid());
            _exit(i);
        }
    }
    while (wait(&status) > 0)
        sum += WEXITSTATUS(status);
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), n, sum);
    return 0;
}
