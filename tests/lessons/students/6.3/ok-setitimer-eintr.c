/* A student's mytimeout.c: a SIGALRM handler (no SA_RESTART) and setitimer for the
   fractional limit; waitpid is interrupted by the alarm (EINTR), then SIGTERM and a
   second waitpid. The child's start races nothing: the alarm is set after fork.
   verdict: pass */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t expired;

static void on_alarm(int sig) { (void)sig; expired = 1; }

int main(int argc, char *argv[])
{
    double secs = atof(argv[1]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    struct itimerval it = {{0, 0}, {(long)secs, (long)((secs - (long)secs) * 1e6)}};
    setitimer(ITIMER_REAL, &it, NULL);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno == EINTR && expired) {
            kill(pid, SIGTERM);
            waitpid(pid, &status, 0);
            return 124;
        }
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
