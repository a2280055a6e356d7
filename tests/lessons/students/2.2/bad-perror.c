/* A student's runas.c: perror(prog) -- the message lacks the `runas: ` the statement
   asks for.
   verdict: fail "a program that cannot be run: a reason on stderr, status 127" "on stderr and exit with 127" */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char *prog = argv[2];
    argv[2] = argv[1];
    execvp(prog, argv + 2);
    perror(prog);
    return 127;
}
