/* A student's pwc.c: the child counts with fopen/getc; the parent keeps the pids and
   waits for each by its pid, after forking them all.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pids[256];
    int failed = 0;

    for (int i = 1; i < argc; i++) {
        fflush(stdout);
        pids[i] = fork();
        if (pids[i] == 0) {
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
    }
    for (int i = 1; i < argc; i++) {
        int status;
        if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            failed++;
    }
    printf("counted %d files in %d processes, %d failed\n", argc - 1, argc - 1, failed);
    return failed ? 1 : 0;
}
