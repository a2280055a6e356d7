/* A student's ignore.c: sigaction with SIG_IGN; its own name parsing via a table and
   strtol; wait() for the child.
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int parse(const char *s)
{
    const char *names[] = {"", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
                           "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM"};
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end)
        return (int)n;
    if (!strncmp(s, "SIG", 3))
        s += 3;
    for (int i = 1; i < 16; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

int main(int argc, char *argv[])
{
    int sig = parse(argv[1]);
    if (sig < 1) {
        fprintf(stderr, "ignore: %s: unknown signal\n", argv[1]);
        return 2;
    }
    if (fork() == 0) {
        struct sigaction sa = {0};
        sa.sa_handler = SIG_IGN;
        sigaction(sig, &sa, NULL);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    wait(&status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
