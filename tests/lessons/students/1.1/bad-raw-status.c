/* A student's fan.c: adds the raw wait status (i << 8), not WEXITSTATUS.
   verdict: fail "the parent adds up the exit statuses" "use WEXITSTATUS(status)" */
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
            exit(i);
        }
    }
    while (wait(&status) > 0)
        sum += status;
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), n, sum);
    return 0;
}
