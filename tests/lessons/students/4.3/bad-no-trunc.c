/* A student's mytee.c: opens the files without O_TRUNC -- a shorter input leaves the
   old file's tail behind.
   verdict: fail "an existing file is truncated; with -a it is appended to" "without -a an existing file is truncated first" */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int append = argc > 1 && strcmp(argv[1], "-a") == 0, fds[32], count = 0;
    for (int i = 1 + append; i < argc; i++)
        fds[count++] = open(argv[i], O_WRONLY | O_CREAT | (append ? O_APPEND : 0), 0644);
    char buf[65536];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t off = 0, w; off < n; off += w)
            w = write(1, buf + off, n - off);
        for (int k = 0; k < count; k++)
            for (ssize_t off = 0, w; off < n; off += w)
                w = write(fds[k], buf + off, n - off);
    }
    return 0;
}
