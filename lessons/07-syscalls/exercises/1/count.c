/* count.c -- lesson 7 exercise: a tiny syscall counter built on ptrace.
 *
 *   ./count PROG [ARGS...]
 *
 * Run PROG ARGS... as a traced child (PTRACE_TRACEME, then execvp) and count,
 * until it exits, every system call it makes after its execve -- each call once
 * -- and how many of them are write (number 1 on x86-64). PROG's own output is
 * untouched. When PROG has exited, print these two lines last, on stdout:
 *
 *     write calls: W
 *     total calls: N
 *
 * and exit with PROG's exit status. Do not follow PROG's children (no
 * PTRACE_O_TRACEFORK).
 * (In Python instead? Write count.py with ctypes -- libc's ptrace() -- and
 *  check it with `minilesson check 7 count.py`; the checks are the same.)
 *
 * Check it with:  minilesson check 7
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
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
    pid_t pid = fork();
    if (pid == 0) {
        /* TODO: ask to be traced, then exec the program. */
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);

    /* TODO: loop: PTRACE_SYSCALL, waitpid; at each syscall ENTRY read the
     * registers (PTRACE_GETREGS: the number is regs.orig_rax) and count; stop
     * when the child exits. */

    printf("write calls: %ld\n", writes);
    printf("total calls: %ld\n", total);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
