/* A fake: the children all exit(0) and the parent computes n(n+1)/2 instead of adding up
 * their statuses. Its output is right; the tracer shows the statuses are not. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = argc > 1 ? atoi(argv[1]) : 3;
    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        if (fork() == 0) {
            printf("child %d: pid %d, parent %d\n", i, getpid(), getppid());
            exit(0);
        }
    }
    while (wait(NULL) > 0)
        ;
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), n,
           n * (n + 1) / 2);
    return 0;
}
