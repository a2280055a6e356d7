/* A student's sigcount.c: no handlers at all -- both signals blocked and read from a
   signalfd, one struct signalfd_siginfo per pending signal. SIGINT no longer kills it:
   it is blocked and taken from the fd.
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int fd = signalfd(-1, &set, 0);
    if (fd < 0) {
        perror("signalfd");
        return 1;
    }
    printf("ready %d\n", getpid());
    fflush(stdout);
    int count = 0;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGINT) {
            printf("SIGINT %d\n", ++count);
            fflush(stdout);
        } else {
            printf("got %d SIGINT, bye\n", count);
            return 0;
        }
    }
    return 1;
}
