/* Reference solution of lesson 2, exercise 2. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s NAME PROG [ARGS...]\n", argv[0]);
        return 2;
    }
    char *prog = argv[2];
    /* argv + 2 is now NAME ARGS... NULL */
    argv[2] = argv[1];
    execvp(prog, argv + 2);
    fprintf(stderr, "runas: %s: %s\n", prog, strerror(errno));
    return 127;
}
