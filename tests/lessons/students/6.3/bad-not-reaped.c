/* A student's mytimeout.c: sends SIGTERM and returns 124 at once, without waiting for
   the child it killed.
   verdict: fail "too slow: SIGTERM after SECS, status 124" "call waitpid() for every child" */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    double secs = atof(argv[1]);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    struct timespec limit = {(long)secs, (long)((secs - (long)secs) * 1e9)};
    int status;
    if (sigtimedwait(&set, NULL, &limit) < 0) {
        kill(pid, SIGTERM);
        return 124;
    }
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
