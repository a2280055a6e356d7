/* A student's mytee.c: no -a option -- `-a` becomes a file of its own, and log.txt is
   truncated.
   verdict: fail "an existing file is truncated; with -a it is appended to" "with -a the file keeps what it had" */
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int fds[32], count = 0;
    for (int i = 1; i < argc; i++)
        fds[count++] = open(argv[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
