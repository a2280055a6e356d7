/* A student's mytee.c: -a without O_APPEND -- the file opened as it is and lseek'd to
   its end once (the statement asks for appending, which this does for one writer).
   verdict: pass */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int write_all(int fd, const char *buf, ssize_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0)
            return -1;
        buf += w;
        n -= w;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    int first = 1, append = argc > 1 && strcmp(argv[1], "-a") == 0;
    int fds[32], count = 0;
    if (append)
        first = 2;
    for (int i = first; i < argc; i++) {
        fds[count] = open(argv[i], O_WRONLY | O_CREAT | (append ? 0 : O_TRUNC), 0644);
        if (append)
            lseek(fds[count], 0, SEEK_END);
        count++;
    }
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        write_all(1, buf, n);
        for (int k = 0; k < count; k++)
            write_all(fds[k], buf, n);
    }
    return 0;
}
