/* Reference solution of lesson 7, exercise 3. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PROG [ARGS...]\n", argv[0]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execvp(argv[1], argv + 1);
        fprintf(stderr, "tracewrites: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;
    /* stopped after execve */
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0,
           PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
    int in_call = 0, deliver = 0;
    struct user_regs_struct regs;
    unsigned long long nr = 0, fd = 0, count = 0;
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)deliver);
        deliver = 0;
        if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) ||
            WIFSIGNALED(status))
            break;
        if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
            /* a real signal: pass it on */
            deliver = WSTOPSIG(status);
            continue;
        }
        ptrace(PTRACE_GETREGS, pid, NULL, &regs);
        in_call = !in_call;
        /* entry: the number and arguments */
        if (in_call) {
            nr = regs.orig_rax, fd = regs.rdi, count = regs.rdx;
        } else if (nr == SYS_write) {                /* exit: the result */
            fprintf(stderr, "write(%lld, %lld) = %lld\n", (long long)fd,
                    (long long)count, (long long)regs.rax);
        }
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
