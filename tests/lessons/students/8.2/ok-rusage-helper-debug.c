/* A student's zeropage.c: getrusage around each loop, and the page size and the sum on
   stderr for debugging.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static long faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char *argv[])
{
    long n = atol(argv[1]);
    long page = getpagesize();
    fprintf(stderr, "page size %ld\n", page);
    volatile char *m = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)m, n * page, MADV_NOHUGEPAGE);
    int total = 0;
    long t0 = faults();
    for (long i = 0; i < n; i++)
        total += m[i * page];
    long t1 = faults();
    for (long i = 0; i < n; i++)
        m[i * page] = 'w';
    long t2 = faults();
    printf("read: %ld minor faults\n", t1 - t0);
    printf("write after read: %ld minor faults\n", t2 - t1);
    fprintf(stderr, "sum of zeroes: %d\n", total);
    return 0;
}
