/* Reference solution of lesson 4, exercise 3. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES 64

static int write_all(int fd, const char *buf, ssize_t n)
{
    for (ssize_t off = 0; off < n;) {
        ssize_t w = write(fd, buf + off, n - off);
        if (w < 0)
            return -1;
        off += w;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    int fds[MAX_FILES + 1], nfds = 0, append = 0, status = 0;
    fds[nfds++] = 1;
    for (int i = 1; i < argc && nfds <= MAX_FILES; i++) {
        if (strcmp(argv[i], "-a") == 0) {
            append = 1;
            continue;
        }
        int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
        int fd = open(argv[i], flags, 0644);
        if (fd < 0) {
            perror(argv[i]);
            status = 1;
            continue;
        }
        fds[nfds++] = fd;
    }
    char buf[65536];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
        for (int k = 0; k < nfds; k++)
            if (write_all(fds[k], buf, n) < 0)
                status = 1;
    for (int k = 1; k < nfds; k++)
        close(fds[k]);
    return status;
}
