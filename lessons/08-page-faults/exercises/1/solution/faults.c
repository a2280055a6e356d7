/* Reference solution of lesson 8's exercise. */
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

static long touch_all(volatile char *mem, long n, long page)
{
    long before = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;
    return minflt() - before;
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: faults N\n");
        return 2;
    }
    long n = atol(argv[1]);
    long page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(mem, n * page, MADV_NOHUGEPAGE);
    long first = touch_all(mem, n, page);
    long second = touch_all(mem, n, page);
    printf("first touch: %ld minor faults\n", first);
    printf("second touch: %ld minor faults\n", second);
    return 0;
}
