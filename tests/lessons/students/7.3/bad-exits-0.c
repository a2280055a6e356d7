/* A student's tracewrites.c: right lines, but always exit 0.
   verdict: fail "one line per write: fd, count and result" "must exit with the program's status, 3" */
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
            fprintf(stderr, "write(%lld, %lld) = %lld\n", (long long)in.rdi,
                    (long long)in.rdx, (long long)regs.rax);
        inside = !inside;
    }
    return 0;
}
