/* A student's myexec.c: printf, then exec -- the line is still in stdio's buffer when
   stdout is a pipe, and exec throws it away.
   verdict: fail "it becomes the program it was given" "unless you fflush(stdout) before exec" */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    printf("pid %d: exec %s\n", getpid(), argv[1]);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "myexec: ");
    perror(argv[1]);
    return 127;
}
