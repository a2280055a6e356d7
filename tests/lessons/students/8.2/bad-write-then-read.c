/* A student's zeropage.c: writes first, then reads -- the reads find pages of their own
   and cost nothing; the lesson's point (two faults per page) is lost.
   verdict: fail "reading N fresh pages: about N faults; writing them then: about N more" "reading" */
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
    long n = atol(argv[1]), page = getpagesize();
    volatile char *m = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)m, n * page, MADV_NOHUGEPAGE);
    long t0 = faults();
    for (long i = 0; i < n; i++)
        m[i * page] = 'w';
    long t1 = faults();
    for (long i = 0; i < n; i++)
        (void)m[i * page];
    long t2 = faults();
    printf("read: %ld minor faults\nwrite after read: %ld minor faults\n", t2 - t1, t1 - t0);
    return 0;
}
