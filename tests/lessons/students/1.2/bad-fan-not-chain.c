/* A student's chain.c: the first process forks every generation itself (a fan), waiting
   for each, youngest first -- the right order, the wrong family tree.
   verdict: fail "the generations print youngest first, each the child of the next line" "must be forked by the one before" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]);

    for (int g = n; g >= 1; g--) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            printf("generation %d: pid %d, parent %d\n", g, getpid(), getppid());
            exit(0);
        }
        waitpid(pid, NULL, 0);
    }
    printf("generation 0: pid %d, parent %d\n", getpid(), getppid());
    return 0;
}
