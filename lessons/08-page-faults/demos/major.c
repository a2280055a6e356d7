/* Major faults: pages of a file that are not in memory must be read from the disk.
 * Write a file, ask the kernel to drop it from the page cache, then map and read it.
 *   ./major N          drop the file from the page cache first: one major fault per page
 *   ./major N cached   leave it in the page cache: a few minor faults ("fault-around")
 * On tmpfs the file IS memory: there is no disk to read from and nothing to drop.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static void faults(long *minor, long *major)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *minor = ru.ru_minflt;
    *major = ru.ru_majflt;
}

int main(int argc, char *argv[])
{
    long n = argc > 1 ? atol(argv[1]) : 200, page = sysconf(_SC_PAGESIZE);
    int cached = argc > 2 && strcmp(argv[2], "cached") == 0;
    int fd = open("pages.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char *buf = calloc(1, page);
    for (long i = 0; i < n; i++)
        write(fd, buf, page);
    fsync(fd);                                        /* on disk, so the cache may drop it */
    struct statfs fs;
    int tmpfs = fstatfs(fd, &fs) == 0 && fs.f_type == 0x01021994;   /* TMPFS_MAGIC */
    if (!cached)
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); /* drop it from the page cache */
    volatile char *mem = mmap(NULL, n * page, PROT_READ, MAP_PRIVATE, fd, 0);
    madvise((void *)mem, n * page, MADV_RANDOM);      /* no read-ahead: one page per fault */
    long min0, maj0, min1, maj1;
    faults(&min0, &maj0);
    for (long i = 0; i < n; i++)
        (void)mem[i * page];
    faults(&min1, &maj1);
    printf("read %ld pages of a file %s: %ld major, %ld minor faults\n", n,
           tmpfs ? "on tmpfs (memory, no disk)" :
           cached ? "in the page cache" : "dropped from the page cache",
           maj1 - maj0, min1 - min0);
    faults(&min0, &maj0);
    for (long i = 0; i < n; i++)
        (void)mem[i * page];
    faults(&min1, &maj1);
    printf("read them again: %ld major, %ld minor faults\n", maj1 - maj0, min1 - min0);
    unlink("pages.bin");
    return 0;
}
