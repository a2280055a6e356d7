/* A student's fan.c: one wait() for n children -- the others are left unreaped.
   verdict: fail "every child prints its line once" "call waitpid() for every child" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), status;

    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        if (fork() == 0) {
            printf("child %d: pid %d, parent %d\n", i, getpid(), getppid());
            sleep(1);
            exit(i);
        }
    }
    wait(&status);
    printf("parent %d: reaped %d children, statuses add up to %d\n", getpid(), n,
           n * (n + 1) / 2);
    return 0;
}
