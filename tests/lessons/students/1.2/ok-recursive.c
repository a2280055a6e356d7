/* A student's chain.c: a recursive function, one call per generation; waitpid for the
   child it forked.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void generation(int g, int n)
{
    if (g < n) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            exit(1);
        }
        if (pid == 0) {
            generation(g + 1, n);
            exit(0);
        }
        waitpid(pid, NULL, 0);
    }
    printf("generation %d: pid %d, parent %d\n", g, getpid(), getppid());
    fflush(stdout);
}

int main(int argc, char *argv[])
{
    generation(0, atoi(argv[1]));
    return 0;
}
