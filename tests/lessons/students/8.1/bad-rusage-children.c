/* A student's faults.c: getrusage(RUSAGE_CHILDREN) -- the faults of children waited for
   (none), not its own.
   verdict: fail "the first touch of N pages costs about N minor faults" "None at all" */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static long minflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return ru.ru_minflt;
}

int main(int argc, char *argv[])
{
    long n = atol(argv[1]), page = getpagesize();
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    long a = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;
    long b = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 2;
    long c = minflt();
    printf("first touch: %ld minor faults\nsecond touch: %ld minor faults\n", b - a, c - b);
    return 0;
}
