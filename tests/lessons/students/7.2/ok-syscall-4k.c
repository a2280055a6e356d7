/* A student's rawcat.c: syscall(SYS_...) for every call, a 4 KiB buffer (the page size)
   -- big chunks by the statement's measure; the error text built with strerror and
   written with one write.
   verdict: pass */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say(const char *a, const char *b, const char *c)
{
    char msg[512];
    size_t n = 0;
    for (const char *p[] = {"rawcat: ", a, ": ", b, c}, **q = p; q < p + 5; q++) {
        size_t len = strlen(*q);
        memcpy(msg + n, *q, len);
        n += len;
    }
    syscall(SYS_write, 2, msg, n);
}

static int copy(int fd)
{
    char buf[4096];
    long n;
    while ((n = syscall(SYS_read, fd, buf, sizeof buf)) > 0)
        for (long off = 0; off < n;) {
            long w = syscall(SYS_write, 1, buf + off, n - off);
            if (w < 0)
                return -1;
            off += w;
        }
    return n < 0 ? -1 : 0;
}

int main(int argc, char *argv[])
{
    int rc = 0;
    if (argc == 1)
        return copy(0) < 0;
    for (int i = 1; i < argc; i++) {
        int fd = syscall(SYS_openat, AT_FDCWD, argv[i], O_RDONLY);
        if (fd < 0) {
            say(argv[i], strerror(errno), "\n");
            rc = 1;
            continue;
        }
        if (copy(fd) < 0)
            rc = 1;
        syscall(SYS_close, fd);
    }
    return rc;
}
