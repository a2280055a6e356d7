/* Count the page faults of touching N fresh pages, with getrusage() before and after.
 *   ./touch N          write one byte in each page
 *   ./touch N read     read one byte of each page (maps the shared zero page)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 1000, page = sysconf(_SC_PAGESIZE);
    int reading = argc > 2 && strcmp(argv[2], "read") == 0;
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return 1;
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);  /* 4 KiB pages, not 2 MiB ones */
    long before = minor_faults();
    for (long i = 0; i < n; i++) {
        if (reading)
            (void)mem[i * page];             /* volatile: the read really happens */
        else
            mem[i * page] = 1;
    }
    long faults = minor_faults() - before;
    printf("%s %ld pages: %ld minor faults\n", reading ? "read" : "wrote", n, faults);
    return 0;
}
