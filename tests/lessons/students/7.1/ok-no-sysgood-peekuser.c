/* A student's count.c: no PTRACE_O_TRACESYSGOOD -- every SIGTRAP stop after the exec one
   is a syscall stop (the program gets no real SIGTRAP), entry and exit alternate; the
   number read with PTRACE_PEEKUSER at offsetof(orig_rax).
   verdict: pass */
#include <stddef.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        execvp(argv[1], &argv[1]);
        _exit(127);
    }
    int st, entering = 1;
    long n = 0, w = 0;
    waitpid(child, &st, 0);
    while (1) {
        ptrace(PTRACE_SYSCALL, child, 0, 0);
        waitpid(child, &st, 0);
        if (!WIFSTOPPED(st))
            break;
        if (entering) {
            long nr = ptrace(PTRACE_PEEKUSER, child,
                             offsetof(struct user_regs_struct, orig_rax), 0);
            n++;
            if (nr == 1)
                w++;
        }
        entering = !entering;
    }
    printf("write calls: %ld\n", w);
    printf("total calls: %ld\n", n);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
