/* A student's fan.c: the child prints but does not exit, so it goes on looping and forks
   children of its own.
   verdict: fail "every child prints its line once" "line for each i from 1 to" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), sum = 0, status;

    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        if (fork() == 0)
            printf("child %d: pid %d, parent %d\n", i, getpid(), getppid());
    }
    while (wait(&status) > 0)
        sum += WEXITSTATUS(status);
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), n, sum);
    return 0;
}
