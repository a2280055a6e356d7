/* A student's rawcat.c: a 1 MiB static buffer, `-` taken as stdin (as cat does), and
   dprintf for the error.
   verdict: pass */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[1 << 20];

static void copy(int fd)
{
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        ssize_t done = 0;
        while (done < n) {
            ssize_t w = write(STDOUT_FILENO, buf + done, n - done);
            if (w <= 0)
                return;
            done += w;
        }
    }
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc < 2)
        copy(STDIN_FILENO);
    for (int i = 1; i < argc; i++) {
        int fd = strcmp(argv[i], "-") ? open(argv[i], O_RDONLY) : STDIN_FILENO;
        if (fd < 0) {
            dprintf(2, "rawcat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        copy(fd);
        if (fd != STDIN_FILENO)
            close(fd);
    }
    return status;
}
