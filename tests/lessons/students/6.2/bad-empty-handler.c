/* A student's ignore.c: an empty handler instead of SIG_IGN -- exec resets a handled
   signal to its default, so the command dies of it after all.
   verdict: fail "the command survives the ignored signal" "must survive" */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void nothing(int sig) { (void)sig; }

int main(int argc, char *argv[])
{
    const char *spec = strncmp(argv[1], "SIG", 3) ? argv[1] : argv[1] + 3;
    int sig = !strcmp(spec, "INT") ? SIGINT : !strcmp(spec, "HUP") ? SIGHUP : atoi(spec);
    if (fork() == 0) {
        signal(sig, nothing);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    wait(&status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
