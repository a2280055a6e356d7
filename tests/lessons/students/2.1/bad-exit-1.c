/* A student's myexec.c: a failed exec exits with 1, not 127.
   verdict: fail "a program that cannot be run: message and status 127" "must exit with status 127" */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    printf("pid %d: exec %s\n", getpid(), argv[1]);
    fflush(stdout);
    execvp(argv[1], argv + 1);
    perror("myexec");
    return 1;
}
