/* Reference solution of lesson 7's exercise: count syscalls with
   PTRACE_SYSCALL stops. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "usage: count PROG [ARGS...]\n");
        return 2;
    }
    long writes = 0, total = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int status;
    /* stopped after execve */
    waitpid(pid, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid, 0,
           PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
    int in_call = 0, deliver = 0;
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)deliver);
        deliver = 0;
        if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) ||
            WIFSIGNALED(status))
            break;
        if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
            in_call = !in_call;
            if (in_call) {
                struct user_regs_struct regs;
                ptrace(PTRACE_GETREGS, pid, NULL, &regs);
                total++;
                if (regs.orig_rax == SYS_write)
                    writes++;
            }
        } else {
            /* a real signal: pass it on */
            deliver = WSTOPSIG(status);
        }
    }
    printf("write calls: %ld\n", writes);
    printf("total calls: %ld\n", total);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
