/* A student's sigcount.c: SA_RESETHAND (what System V's signal() did) -- the handler is
   removed after its first run, so the second SIGINT kills the program.
   verdict: fail "SIGINT does not kill it, and is counted" "SIGINT number 2 the program was killed by SIGINT" */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t ints, term;

static void on_int(int sig) { (void)sig; ints++; }
static void on_term(int sig) { (void)sig; term = 1; }

int main(void)
{
    struct sigaction sa;
    sigset_t block, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESETHAND;
    sa.sa_handler = on_int;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &old);
    printf("ready %d\n", getpid());
    fflush(stdout);
    int shown = 0;
    for (;;) {
        while (shown < ints) {
            printf("SIGINT %d\n", ++shown);
            fflush(stdout);
        }
        if (term) {
            printf("got %d SIGINT, bye\n", shown);
            return 0;
        }
        sigsuspend(&old);
    }
}
