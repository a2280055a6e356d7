/* A student's sigcount.c: right lines, but SIGTERM ends it with exit(1).
   verdict: fail "SIGTERM ends it cleanly with the count" "must exit with status 0" */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    printf("ready %d\n", getpid());
    fflush(stdout);
    int n = 0, sig;
    while (sigwait(&set, &sig) == 0) {
        if (sig == SIGTERM)
            break;
        printf("SIGINT %d\n", ++n);
        fflush(stdout);
    }
    printf("got %d SIGINT, bye\n", n);
    exit(1);
}
