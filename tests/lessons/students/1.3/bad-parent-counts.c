/* A student's pwc.c: the parent counts every file, then forks a child per file that
   only prints the number it was handed.
   verdict: fail "the tracer sees one child per file, all forked before the first wait" "opened and counted by its own child" */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int failed = 0, status;
    long lines[256];

    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        lines[i] = -1;
        if (f) {
            lines[i] = 0;
            for (int c; (c = getc(f)) != EOF;)
                lines[i] += c == '\n';
            fclose(f);
        }
    }
    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        if (fork() == 0) {
            if (lines[i] < 0) {
                fprintf(stderr, "pwc: %s: %s\n", argv[i], strerror(ENOENT));
                exit(1);
            }
            printf("%ld %s\n", lines[i], argv[i]);
            exit(0);
        }
    }
    while (wait(&status) > 0)
        if (WEXITSTATUS(status))
            failed++;
    printf("counted %d files in %d processes, %d failed\n", argc - 1, argc - 1, failed);
    return failed > 0;
}
