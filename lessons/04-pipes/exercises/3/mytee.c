/* mytee.c -- lesson 4, exercise 3: copy stdin to stdout and to files.
 *
 *   ./mytee [-a] FILE...
 *
 * Read standard input to its end and write every byte to standard output and to
 * each FILE -- created if needed and truncated, or appended to with -a. Use
 * read(2) and write(2) (no stdio), and write everything even when write()
 * writes less than asked. Exit 0 at end of file.
 *
 * Check it with:  minilesson check 4.3
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write all N bytes of BUF to FD; -1 on an error. */
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
    char buf[65536];
    ssize_t n;

    /* TODO: open every FILE (-a: append), and write each chunk to them as well.
     */
    (void)argc;
    (void)argv;

    while ((n = read(0, buf, sizeof buf)) > 0)
        if (write_all(1, buf, n) < 0)
            return 1;
    return 0;
}
