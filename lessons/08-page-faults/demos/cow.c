/* Copy-on-write: after fork, parent and child share every page until one of them writes.
 *   ./cow N          MAP_PRIVATE (like malloc'd memory): each first write copies a page
 *   ./cow N shared   MAP_SHARED: nothing is copied, the parent sees what the child wrote
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    int shared = argc > 2 && strcmp(argv[2], "shared") == 0;
    volatile char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                              (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    for (long i = 0; i < n; i++)
        mem[i * page] = 1;                   /* the parent owns n real pages */
    fflush(stdout);
    if (fork() == 0) {
        long before = minor_faults();
        for (long i = 0; i < n; i++)
            (void)mem[i * page];             /* reading a shared page: no copy */
        long reads = minor_faults() - before;
        before = minor_faults();
        for (long i = 0; i < n; i++)
            mem[i * page] = 2;               /* private: fault, copy the page, then write */
        long writes = minor_faults() - before;
        if (!shared)
            printf("child read %ld pages: %ld faults; wrote them: %ld faults\n", n, reads,
                   writes);
        return 0;
    }
    wait(NULL);
    long seen = 0;                           /* which of the child's writes reached us? */
    for (long i = 0; i < n; i++)
        seen += mem[i * page] == 2;
    printf("%s: the parent sees the child's write in %ld of %ld pages\n",
           shared ? "MAP_SHARED" : "MAP_PRIVATE", seen, n);
    return 0;
}
