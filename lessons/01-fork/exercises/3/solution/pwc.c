/* Reference solution of lesson 1, exercise 3. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long count_lines(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    char buf[8192];
    long lines = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    close(fd);
    return n < 0 ? -1 : lines;
}

int main(int argc, char *argv[])
{
    int files = argc - 1, failed = 0, status;
    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            failed++;
        } else if (pid == 0) {
            /* one child per file: it counts, then exits */
            long n = count_lines(argv[i]);
            if (n < 0) {
                fprintf(stderr, "pwc: %s: %s\n", argv[i], strerror(errno));
                exit(1);
            }
            printf("%ld %s\n", n, argv[i]);
            exit(0);
        }
    }
    /* only now: all of them run at once */
    while (wait(&status) > 0)
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    printf("counted %d files in %d processes, %d failed\n", files, files,
           failed);
    return failed > 0;
}
