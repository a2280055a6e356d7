/* A student's tracewrites.c: prints at the entry stop, where rax holds -ENOSYS, not yet
   the result.
   verdict: fail "one line per write: fd, count and result" "makes these three writes" */
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
    int status, inside = 0;
    struct user_regs_struct regs;
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        waitpid(pid, &status, 0);
        if (!WIFSTOPPED(status))
            break;
        inside = !inside;
        if (!inside)
            continue;
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        if (regs.orig_rax == SYS_write)
            fprintf(stderr, "write(%lld, %lld) = %lld\n", (long long)regs.rdi,
                    (long long)regs.rdx, (long long)regs.rax);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
