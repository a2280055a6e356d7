/* A student's sigcount.c: the handlers do the printing themselves, with write(2) (safe
   in a handler, unlike printf); each handler blocks the other signal while it runs;
   main just pause()s forever -- with nothing to check between, there is no race.
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count;

static void say(const char *text, int n, const char *rest)
{
    char buf[64], digits[16];
    int len = 0, d = 0;
    do
        digits[d++] = '0' + n % 10;
    while ((n /= 10) > 0);
    memcpy(buf, text, strlen(text));
    len = strlen(text);
    while (d > 0)
        buf[len++] = digits[--d];
    memcpy(buf + len, rest, strlen(rest));
    len += strlen(rest);
    write(1, buf, len);
}

static void on_int(int sig)
{
    (void)sig;
    count++;
    say("SIGINT ", count, "\n");
}

static void on_term(int sig)
{
    (void)sig;
    say("got ", count, " SIGINT, bye\n");
    _exit(0);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sa.sa_handler = on_int;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    printf("ready %d\n", getpid());
    fflush(stdout);
    for (;;)
        pause();
}
