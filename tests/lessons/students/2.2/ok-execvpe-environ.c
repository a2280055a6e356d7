/* A student's runas.c: execvpe with the environment passed explicitly, argv[2]
   overwritten in place; dprintf for the error.
   verdict: pass */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char *argv[])
{
    char *prog = argv[2];
    argv[2] = argv[1];
    execvpe(prog, &argv[2], environ);
    int err = errno;
    dprintf(2, "runas: %s: %s\n", prog, strerror(err));
    return 127;
}
