/* Copy-on-write: after fork, parent and child share every page until one of them writes. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 500, page = sysconf(_SC_PAGESIZE);
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;                   /* the parent owns n real pages */
    fflush(stdout);
    if (fork() == 0) {
        long before = minor_faults();
        for (long i = 0; i < n; i++)
            (void)mem[i * page];             /* reading a shared page: no fault */
        long reads = minor_faults() - before;
        before = minor_faults();
        for (long i = 0; i < n; i++)
            mem[i * page] = 2;               /* writing: fault, copy the page, then write */
        long writes = minor_faults() - before;
        printf("child read %ld pages: %ld faults; wrote them: %ld faults\n", n, reads, writes);
        return 0;
    }
    wait(NULL);
    return 0;
}
