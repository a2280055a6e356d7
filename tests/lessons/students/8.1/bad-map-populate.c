/* A student's faults.c: MAP_POPULATE, "to be fast" -- mmap maps every page at once, so
   the first touch costs nothing: the faults are not where the lesson looks for them.
   verdict: fail "the first touch of N pages costs about N minor faults" "Far fewer" */
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
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
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
