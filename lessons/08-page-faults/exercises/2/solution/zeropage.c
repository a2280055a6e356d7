/* Reference solution of lesson 8, exercise 2. */
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
    if (argc != 2) {
        fprintf(stderr, "usage: zeropage N\n");
        return 2;
    }
    long n = atol(argv[1]), page = sysconf(_SC_PAGESIZE);
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    long before = minflt();
    /* each read maps the shared zero page, read-only */
    for (long i = 0; i < n; i++)
        (void)mem[i * page];
    long reads = minflt() - before;
    before = minflt();
    /* each write faults again: a private page of its own */
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;
    long writes = minflt() - before;
    printf("read: %ld minor faults\n", reads);
    printf("write after read: %ld minor faults\n", writes);
    return 0;
}
