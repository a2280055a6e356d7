/* A student's ignore.c: SIG_IGN set in the parent, after the fork -- the child, already
   forked, keeps the default.
   verdict: fail "the command survives the ignored signal" "must survive" */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    const char *spec = strncmp(argv[1], "SIG", 3) ? argv[1] : argv[1] + 3;
    int sig = !strcmp(spec, "INT") ? SIGINT : !strcmp(spec, "HUP") ? SIGHUP : atoi(spec);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    signal(sig, SIG_IGN);
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
