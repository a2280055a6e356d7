/* Reference solution of lesson 7, exercise 2. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Copy FD to stdout in 64 KiB chunks: two system calls per chunk, not per
   byte. */
static int copy(int fd)
{
    static char buf[65536];
    ssize_t n;
    while ((n = syscall(SYS_read, fd, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = syscall(SYS_write, 1, buf + off, n - off);
            if (w < 0)
                return -1;
            off += w;
        }
    return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
    int status = 0;
    if (argc == 1)
        return copy(0) < 0;
    for (int i = 1; i < argc; i++) {
        int fd = syscall(SYS_openat, AT_FDCWD, argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "rawcat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (copy(fd) < 0)
            status = 1;
        syscall(SYS_close, fd);
    }
    return status;
}
