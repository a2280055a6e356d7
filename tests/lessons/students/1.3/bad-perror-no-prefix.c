/* A student's pwc.c: perror(argv[i]) -- `no-such-file: No such file or directory`,
   without the `pwc: ` the statement asks for.
   verdict: fail "a file it cannot open: a message on stderr, counted as failed" "must say `pwc: no-such-file: No such file or directory` on stderr" */
#include <stdio.h>
#include <stdlib.h>
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
                perror(argv[i]);
                exit(1);
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
