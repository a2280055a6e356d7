/* A student's tracewrites.c: PTRACE_GETREGS at every stop, an in/out flag, and a
   summary line on stderr at the end (the statement only fixes the write lines).
   verdict: pass */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status, inside = 0, lines = 0;
    struct user_regs_struct at_entry, regs;
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
    while (1) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) || WIFSIGNALED(status))
            break;
        if (!(WSTOPSIG(status) & 0x80))
            continue;
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        if (!inside) {
            at_entry = regs;
        } else if (at_entry.orig_rax == SYS_write) {
            fprintf(stderr, "write(%lld, %lld) = %lld\n", (long long)at_entry.rdi,
                    (long long)at_entry.rdx, (long long)regs.rax);
            lines++;
        }
        inside = !inside;
    }
    fprintf(stderr, "tracewrites: %d writes\n", lines);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
