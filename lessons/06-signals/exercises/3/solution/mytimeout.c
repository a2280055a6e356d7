/* Reference solution of lesson 6, exercise 3. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SECS CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    double secs = atof(argv[1]);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    /* the child's end waits for sigtimedwait */
    sigprocmask(SIG_BLOCK, &chld, &old);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "mytimeout: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    struct timespec limit = {(time_t)secs,
                             (long)((secs - (time_t)secs) * 1e9)};
    int status;
    while (sigtimedwait(&chld, NULL, &limit) < 0) {
        if (errno == EAGAIN) {               /* time is up */
            kill(pid, SIGTERM);
            waitpid(pid, &status, 0);
            return 124;
        }
        /* EINTR: another signal; wait again (the limit restarts: good
           enough here) */
    }
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                               : WEXITSTATUS(status);
}
