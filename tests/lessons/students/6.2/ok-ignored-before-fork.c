/* A student's ignore.c: the parent ignores SIG before fork; the child inherits the
   disposition and keeps it through exec. (The parent ignoring it too does no harm.)
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    const char *spec = argv[1];
    int sig = 0;
    if (strncmp(spec, "SIG", 3) == 0)
        spec += 3;
    if (spec[0] >= '0' && spec[0] <= '9')
        sig = atoi(spec);
    else if (!strcmp(spec, "INT"))
        sig = SIGINT;
    else if (!strcmp(spec, "HUP"))
        sig = SIGHUP;
    else if (!strcmp(spec, "TERM"))
        sig = SIGTERM;
    else if (!strcmp(spec, "USR1"))
        sig = SIGUSR1;
    else if (!strcmp(spec, "USR2"))
        sig = SIGUSR2;
    else if (!strcmp(spec, "QUIT"))
        sig = SIGQUIT;
    signal(sig, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
