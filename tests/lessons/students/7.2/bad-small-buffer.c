/* A student's rawcat.c: a 64-byte buffer -- not byte by byte, but still 3000 system
   calls for 100 KB.
   verdict: fail "big chunks: the tracer counts a few calls, not one per byte" "chunks of 4 KiB or more" */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void copy(int fd)
{
    char buf[64];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        write(1, buf, n);
}

int main(int argc, char *argv[])
{
    int status = 0;
    if (argc == 1)
        copy(0);
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            dprintf(2, "rawcat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        copy(fd);
        close(fd);
    }
    return status;
}
