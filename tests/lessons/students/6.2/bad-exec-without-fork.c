/* A student's ignore.c: ignores SIG and execs in place, as nohup does -- but then a
   signal that kills the command kills `ignore` itself: it never exits with 128 + N.
   verdict: fail "other signals still kill it, with the shell's status" "exits with 128 + 15" */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    const char *spec = strncmp(argv[1], "SIG", 3) ? argv[1] : argv[1] + 3;
    int sig = !strcmp(spec, "INT") ? SIGINT : !strcmp(spec, "HUP") ? SIGHUP : atoi(spec);
    signal(sig, SIG_IGN);
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    return 127;
}
