/* A student's runas.c: a new argv built with malloc: NAME, then ARGS.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: runas NAME PROG ARGS...\n");
        return 2;
    }
    char **args = malloc((argc - 1) * sizeof(char *));
    args[0] = argv[1];
    for (int i = 3; i < argc; i++)
        args[i - 2] = argv[i];
    args[argc - 2] = NULL;
    execvp(argv[2], args);
    fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
    return 127;
}
