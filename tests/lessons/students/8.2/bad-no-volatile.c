/* A student's zeropage.c: reads through a plain char * whose values are never used --
   the compiler drops the loads, so the read loop costs no faults.
   verdict: fail "reading N fresh pages: about N faults; writing them then: about N more" "were the reads dropped by the compiler" */
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
    char *m = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(m, n * page, MADV_NOHUGEPAGE);
    long t0 = faults();
    for (long i = 0; i < n; i++)
        (void)m[i * page];
    long t1 = faults();
    for (long i = 0; i < n; i++)
        m[i * page] = 'w';
    long t2 = faults();
    printf("read: %ld minor faults\nwrite after read: %ld minor faults\n", t1 - t0, t2 - t1);
    return 0;
}
