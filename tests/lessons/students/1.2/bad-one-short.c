/* A student's chain.c: `gen < n - 1`, one generation short.
   verdict: fail "the generations print youngest first, each the child of the next line" "must print generations" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), gen = 0;

    while (gen < n - 1) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid > 0) {
            waitpid(pid, NULL, 0);
            break;
        }
        gen++;
    }
    printf("generation %d: pid %d, parent %d\n", gen, getpid(), getppid());
    return 0;
}
