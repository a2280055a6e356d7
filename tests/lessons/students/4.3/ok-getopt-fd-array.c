/* A student's mytee.c: getopt for -a, one array of fds with 1 in it, a 4 KiB buffer,
   and the short-write loop written inline.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int append = 0, opt;
    while ((opt = getopt(argc, argv, "a")) != -1)
        if (opt == 'a')
            append = 1;
    int fds[64], nfds = 0;
    fds[nfds++] = STDOUT_FILENO;
    for (int i = optind; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0644);
        if (fd < 0) {
            perror(argv[i]);
            continue;
        }
        fds[nfds++] = fd;
    }
    char buf[4096];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
        for (int k = 0; k < nfds; k++)
            for (ssize_t off = 0, w; off < n; off += w)
                if ((w = write(fds[k], buf + off, n - off)) < 0)
                    return 1;
    return 0;
}
