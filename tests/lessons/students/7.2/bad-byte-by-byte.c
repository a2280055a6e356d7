/* A student's rawcat.c: one byte per read and per write -- right bytes, 200 000 system
   calls for 100 KB.
   verdict: fail "big chunks: the tracer counts a few calls, not one per byte" "not byte by byte" */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void copy(int fd)
{
    char c;
    while (read(fd, &c, 1) == 1)
        write(1, &c, 1);
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
