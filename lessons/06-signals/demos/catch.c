/* A handler for SIGINT: the signal no longer kills us. SIGTERM still does (default action). */
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count;

static void on_sigint(int sig)
{
    (void)sig;
    count++;
    const char msg[] = "caught SIGINT\n";
    write(1, msg, sizeof msg - 1);       /* write(2) is safe in a handler; printf is not */
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    for (int i = 0; i < 3; i++)
        kill(getpid(), SIGINT);          /* as if Ctrl-C were pressed three times */
    kill(getpid(), SIGTERM);             /* no handler: the default action ends the process */
    return 0;                            /* never reached */
}
