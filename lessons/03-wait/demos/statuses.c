/* How a child ended, as waitpid() reports it: exited with a status, or killed by a signal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%-16s WIFEXITED,   WEXITSTATUS = %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%-16s WIFSIGNALED, WTERMSIG = %d (%s)\n", what, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
}

static void run(const char *what, int code, int sig)
{
    fflush(stdout);                      /* or the child's exit() prints our buffer again */
    pid_t pid = fork();
    if (pid == 0) {
        if (sig)
            kill(getpid(), sig);
        exit(code);
    }
    int status;
    waitpid(pid, &status, 0);
    report(what, status);
}

int main(void)
{
    run("exit(0)", 0, 0);
    run("exit(3)", 3, 0);
    run("exit(300)", 300, 0);            /* only the low 8 bits reach the parent: 300 % 256 */
    run("kill SIGTERM", 0, SIGTERM);
    run("kill SIGKILL", 0, SIGKILL);
    return 0;
}
