/* Reference solution of lesson 6's exercise: sigsuspend closes the race
   that pause() has. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupts, terminate;

static void on_int(int sig) { (void)sig; interrupts++; }
static void on_term(int sig) { (void)sig; terminate = 1; }

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    sigset_t blocked, old;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    /* signals wait until sigsuspend */
    sigprocmask(SIG_BLOCK, &blocked, &old);
    handle(SIGINT, on_int);
    handle(SIGTERM, on_term);
    printf("ready %d\n", getpid());
    fflush(stdout);
    int shown = 0;
    for (;;) {
        while (shown < interrupts) {
            printf("SIGINT %d\n", ++shown);
            fflush(stdout);
        }
        if (terminate) {
            printf("got %d SIGINT, bye\n", shown);
            return 0;
        }
        /* unblock and sleep, in one step */
        sigsuspend(&old);
    }
}
