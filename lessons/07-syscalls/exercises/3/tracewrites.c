/* tracewrites.c -- lesson 7, exercise 3: a tracer that shows every write.
 *
 *   ./tracewrites PROG [ARGS...]
 *
 * Run PROG under ptrace. For each write(2) system call PROG makes, print on
 * stderr, when the call returns:
 *
 *     write(FD, COUNT) = RESULT
 *
 * (FD from rdi, COUNT from rdx at the call's entry; RESULT from rax at its
 * exit). Only PROG itself is traced. Exit with PROG's status (128 + N if signal
 * N killed it).
 *
 * Check it with:  minilesson check 7.3
 */
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
    if (pid == 0) {
        /* TODO: ask to be traced before the exec. */
        execvp(argv[1], argv + 1);
        fprintf(stderr, "tracewrites: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;

    /* TODO: the PTRACE_SYSCALL loop, printing each write. */
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
