/* A student's rawcat.c: gives up at the first file it cannot open -- the files after it
   are never copied.
   verdict: fail "a file it cannot open: a message, the others still copied, status 1" "a.txt on stdout" */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void copy(int fd)
{
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        write(1, buf, n);
}

int main(int argc, char *argv[])
{
    if (argc == 1)
        copy(0);
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            dprintf(2, "rawcat: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        copy(fd);
        close(fd);
    }
    return 0;
}
