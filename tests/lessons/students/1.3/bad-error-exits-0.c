/* A student's pwc.c: the child reports the error but exits with 0, so the parent counts
   no failure.
   verdict: fail "a file it cannot open: a message on stderr, counted as failed" "counted 3 files in 3 processes, 1 failed" */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int failed = 0, status;

    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        if (fork() == 0) {
            FILE *f = fopen(argv[i], "r");
            if (!f) {
                fprintf(stderr, "pwc: %s: %s\n", argv[i], strerror(errno));
                exit(0);
            }
            long lines = 0;
            for (int c; (c = getc(f)) != EOF;)
                lines += c == '\n';
            printf("%ld %s\n", lines, argv[i]);
            exit(0);
        }
    }
    while (wait(&status) > 0)
        if (WEXITSTATUS(status))
            failed++;
    printf("counted %d files in %d processes, %d failed\n", argc - 1, argc - 1, failed);
    return failed > 0;
}
