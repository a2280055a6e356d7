/* A student's status.c: waitid() and its siginfo_t (si_code CLD_EXITED / CLD_KILLED /
   CLD_DUMPED, si_status) instead of the W* macros.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "status: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    siginfo_t info;
    if (waitid(P_PID, pid, &info, WEXITED) < 0) {
        perror("waitid");
        return 1;
    }
    if (info.si_code == CLD_EXITED) {
        printf("exited with %d\n", info.si_status);
        return info.si_status;
    }
    printf("killed by signal %d\n", info.si_status);
    return 128 + info.si_status;
}
