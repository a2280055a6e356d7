/* A student's mytimeout.c: pidfd_open and poll() with the limit in milliseconds --
   the pidfd becomes readable when the child ends.
   verdict: pass */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int ms = (int)(atof(argv[1]) * 1000);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    int pidfd = syscall(SYS_pidfd_open, pid, 0);
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    int ready = poll(&p, 1, ms);
    int status;
    if (ready == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
        return 124;
    }
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
