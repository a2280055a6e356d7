/* A student's pwc.c: waits for each child right after forking it -- the files are
   counted one after the other.
   verdict: fail "the tracer sees one child per file, all forked before the first wait" "Fork them all, then wait" */
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
                exit(1);
            }
            long lines = 0;
            for (int c; (c = getc(f)) != EOF;)
                lines += c == '\n';
            printf("%ld %s\n", lines, argv[i]);
            exit(0);
        }
        wait(&status);
        if (WEXITSTATUS(status))
            failed++;
    }
    printf("counted %d files in %d processes, %d failed\n", argc - 1, argc - 1, failed);
    return failed > 0;
}
