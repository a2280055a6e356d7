/* A student's mytimeout.c: sleeps the whole limit, then looks -- a command that ends at
   once still costs SECS seconds.
   verdict: fail "in time: its own status, without waiting for the limit" "return as soon as the child ends" */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    double secs = atof(argv[1]);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    usleep((useconds_t)(secs * 1e6));
    int status;
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        return 124;
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
