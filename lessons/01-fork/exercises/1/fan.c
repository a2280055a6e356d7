/* fan.c -- lesson 1 exercise: one parent, N children.
 *
 *   ./fan N
 *
 * The parent creates N children with fork(). Child number i (1..N)
 * prints exactly
 *
 *     child i: pid P, parent Q
 *
 * (P its own pid, Q its parent's) and exits with status i. The parent waits for
 * every child, adds up their exit statuses, and prints last
 *
 *     parent Q: reaped N children, statuses add up to S
 *
 * Check it with:  minilesson check 1
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
    int sum = 0;

    /* TODO: fork n children; child i prints its line and exits with status i.
     */

    /* TODO: wait for every child; add WEXITSTATUS(status) of each to sum. */

    printf("parent %d: reaped %d children, statuses add up to %d\n",
           getpid(), n, sum);
    return 0;
}
