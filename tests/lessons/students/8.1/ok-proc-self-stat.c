/* A student's faults.c: the counter read from /proc/self/stat (field 10, minflt) with
   open/read -- what ps reads -- around each loop; the pages from malloc, aligned by hand.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long minflt(void)
{
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    char *p = strrchr(buf, ')');      /* the name may hold spaces: count after it */
    long value = 0;
    for (int field = 3; p && field <= 10; field++) {
        p = strchr(p + 1, ' ');
        if (field == 10 && p)
            value = atol(p + 1);
    }
    return value;
}

int main(int argc, char *argv[])
{
    long n = atol(argv[1]), page = getpagesize();
    char *raw = malloc((n + 1) * page);
    volatile char *mem = (char *)(((unsigned long)raw + page - 1) & ~(page - 1));
    madvise((void *)mem, n * page, MADV_NOHUGEPAGE);
    long a = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 'x';
    long b = minflt();
    for (long i = 0; i < n; i++)
        mem[i * page] = 'y';
    long c = minflt();
    printf("first touch: %ld minor faults\nsecond touch: %ld minor faults\n", b - a, c - b);
    return 0;
}
