/* A fake: touches the pages but measures nothing -- it prints what the lesson predicts. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 100, page = sysconf(_SC_PAGESIZE);
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;
    printf("first touch: %ld minor faults\n", n + 1);
    printf("second touch: %ld minor faults\n", 0L);
    return 0;
}
