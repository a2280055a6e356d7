/* A student's zeropage.c: /proc/self/stat read with fscanf, skipping the first nine
   fields; a sum of the bytes read so the loads are used.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static long minflt(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    long v = 0;
    fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %ld", &v);
    fclose(f);
    return v;
}

int main(int argc, char *argv[])
{
    long n = atol(argv[1]), page = sysconf(_SC_PAGESIZE);
    char *mem = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(mem, n * page, MADV_NOHUGEPAGE);
    volatile char *v = mem;
    long sum = 0;
    long a = minflt();
    for (long i = 0; i < n; i++)
        sum += v[i * page];
    long b = minflt();
    for (long i = 0; i < n; i++)
        v[i * page] = 1;
    long c = minflt();
    printf("read: %ld minor faults\nwrite after read: %ld minor faults\n", b - a, c - b);
    return (int)sum;
}
