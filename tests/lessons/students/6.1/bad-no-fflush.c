/* A student's sigcount.c: flushes `ready` but not the SIGINT lines -- they sit in
   stdio's buffer (stdout is a pipe) and come out only at exit.
   verdict: fail "SIGINT does not kill it, and is counted" "fflush(stdout) after each line" */
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
        while (shown < ints)
            printf("SIGINT %d\n", ++shown);
        if (term) {
            printf("got %d SIGINT, bye\n", shown);
            return 0;
        }
        sigsuspend(&old);
    }
}
