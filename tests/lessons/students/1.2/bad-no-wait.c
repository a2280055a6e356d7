/* A student's chain.c: each generation prints and leaves without waiting for its child.
   verdict: fail "the generations print youngest first, each the child of the next line" "call waitpid() for every child" */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), g;

    for (g = 0; g < n; g++) {
        fflush(stdout);
        if (fork() != 0)
            break;
    }
    printf("generation %d: pid %d, parent %d\n", g, getpid(), getppid());
    return 0;
}
