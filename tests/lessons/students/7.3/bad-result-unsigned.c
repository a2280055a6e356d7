/* A student's tracewrites.c: the result printed as unsigned (%llu) -- a failed write
   shows as 18446744073709551607, not -9.
   verdict: fail "one line per write: fd, count and result" "failing with -9 (-EBADF)" */
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
    struct user_regs_struct in, regs;
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD);
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        waitpid(pid, &status, 0);
        if (!WIFSTOPPED(status))
            break;
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        if (!inside)
            in = regs;
        else if (in.orig_rax == SYS_write)
            fprintf(stderr, "write(%llu, %llu) = %llu\n", in.rdi, in.rdx, regs.rax);
        inside = !inside;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
