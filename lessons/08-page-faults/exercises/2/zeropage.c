/* zeropage.c -- lesson 8, exercise 2: a read fault, then a write fault, per
 * page.
 *
 *   ./zeropage N
 *
 * Map N fresh pages (MAP_PRIVATE | MAP_ANONYMOUS, MADV_NOHUGEPAGE). Measure
 * with getrusage(RUSAGE_SELF) the minor faults of reading one byte of each
 * page, then of writing one byte of each, and print
 *
 *     read: R minor faults
 *     write after read: W minor faults
 *
 * Expect R and W both close to N: a read maps the shared zero page (read-only),
 * so the first write to each page faults again.
 *
 * Check it with:  minilesson check 8.2
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: zeropage N\n");
        return 2;
    }
    long n = atol(argv[1]), page = sysconf(_SC_PAGESIZE);
    long reads = 0, writes = 0;

    /* TODO: map n pages; measure the faults of reading each, then of writing
     * each. */
    (void)n;
    (void)page;

    printf("read: %ld minor faults\n", reads);
    printf("write after read: %ld minor faults\n", writes);
    return 0;
}
