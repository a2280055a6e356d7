/* A student's faults.c: prints the counter's value after each loop, not the difference
   -- the second number is the total so far.
   verdict: fail "touching the same pages again costs (almost) nothing" "should cost about 0 faults" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static long minflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char *argv[])
{
    long n = atol(argv[1]), page = getpagesize();
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    long start = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;
    long first = minflt() - start;
    for (long i = 0; i < n; i++)
        mem[i * page] = 2;
    long second = minflt() - start;
    printf("first touch: %ld minor faults\nsecond touch: %ld minor faults\n", first, second);
    return 0;
}
