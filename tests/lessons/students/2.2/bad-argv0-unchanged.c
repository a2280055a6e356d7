/* A student's runas.c: execvp(argv[2], argv + 2) -- argv[0] is PROG, NAME is ignored.
   verdict: fail "the program sees NAME as its argv[0]" "(its argv) must be" */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    execvp(argv[2], argv + 2);
    fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
    return 127;
}
