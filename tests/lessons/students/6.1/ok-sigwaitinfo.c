/* A student's sigcount.c: SIGINT and SIGTERM blocked, then taken one at a time with
   sigwaitinfo() -- synchronous, so the counting is plain code.
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready %d\n", getpid());
    fflush(stdout);
    for (int n = 0;;) {
        int sig = sigwaitinfo(&set, NULL);
        if (sig == SIGINT) {
            printf("SIGINT %d\n", ++n);
            fflush(stdout);
        } else if (sig == SIGTERM) {
            printf("got %d SIGINT, bye\n", n);
            return 0;
        }
    }
}
