/* faults.c -- lesson 8 exercise: measure your own page faults with getrusage().
 *
 *   ./faults N
 *
 * Map N fresh pages of anonymous memory (mmap, MAP_PRIVATE | MAP_ANONYMOUS) and
 * switch off transparent huge pages for them (madvise MADV_NOHUGEPAGE). Then
 * print two lines:
 *
 *     first touch: F minor faults       writing one byte in each of the N pages
 *     second touch: S minor faults      writing one byte in each page again
 *
 * F and S are differences of ru_minflt (getrusage(RUSAGE_SELF)) taken right
 * before and right after each loop. Expect F close to N and S close to 0.
 *
 * Then read about the kernel project that counts faults itself:
 * graders/pfstat/README.md.
 *
 * Check it with:  minilesson check 8
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: faults N\n");
        return 2;
    }
    long n = atol(argv[1]);
    long page = sysconf(_SC_PAGESIZE);
    long first = 0, second = 0;

    /* TODO: mmap n pages, madvise MADV_NOHUGEPAGE. */
    /* TODO: measure the faults of writing each page once, then again. */
    (void)n;
    (void)page;

    printf("first touch: %ld minor faults\n", first);
    printf("second touch: %ld minor faults\n", second);
    return 0;
}
