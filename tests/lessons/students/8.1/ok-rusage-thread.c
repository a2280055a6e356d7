/* A student's faults.c: getrusage(RUSAGE_THREAD) (one thread: the same counter), four
   readings kept in an array, memset-free byte writes through a volatile pointer.
   verdict: pass */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = strtol(argv[1], NULL, 10);
    size_t page = (size_t)sysconf(_SC_PAGE_SIZE), len = n * page;
    void *area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (area == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(area, len, MADV_NOHUGEPAGE);
    volatile unsigned char *bytes = area;
    struct rusage ru[3];
    getrusage(RUSAGE_THREAD, &ru[0]);
    for (size_t off = 0; off < len; off += page)
        bytes[off] = 7;
    getrusage(RUSAGE_THREAD, &ru[1]);
    for (size_t off = 0; off < len; off += page)
        bytes[off] = 8;
    getrusage(RUSAGE_THREAD, &ru[2]);
    printf("first touch: %ld minor faults\n", ru[1].ru_minflt - ru[0].ru_minflt);
    printf("second touch: %ld minor faults\n", ru[2].ru_minflt - ru[1].ru_minflt);
    munmap(area, len);
    return 0;
}
