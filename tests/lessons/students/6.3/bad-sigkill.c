/* A student's mytimeout.c: SIGKILL instead of SIGTERM -- the command gets no chance to
   clean up, unlike with timeout(1).
   verdict: fail "too slow: SIGTERM after SECS, status 124" "stop the command with SIGTERM" */
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
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return 124;
    }
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
