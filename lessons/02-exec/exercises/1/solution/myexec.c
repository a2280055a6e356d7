/* Reference solution of lesson 2's exercise. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: myexec PROG [ARGS...]\n");
        return 2;
    }
    printf("pid %d: exec %s\n", getpid(), argv[1]);
    fflush(stdout);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "myexec: ");
    perror(argv[1]);
    return 127;
}
