/* chain.c -- lesson 1, exercise 2: a chain of generations.
 *
 *   ./chain N
 *
 * Generation 0 (this process) forks generation 1, which forks generation 2, ...
 * up to generation N: each process forks at most ONE child. Each process waits
 * for its child, then prints
 *
 *     generation G: pid P, parent Q
 *
 * so the youngest (generation N) prints first, generation 0 last.
 *
 * Check it with:  minilesson check 1.2
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);
    int gen = 0;

    /* TODO: while gen < n, fork; the parent waits for its child and stops
     * looping, the child becomes generation gen + 1 and goes on. */
    (void)n;

    printf("generation %d: pid %d, parent %d\n", gen, getpid(), getppid());
    return 0;
}
