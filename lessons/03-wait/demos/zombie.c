/* A child that has exited but has not been waited for is a zombie: only its status is left. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static char state(pid_t pid)            /* the state letter in /proc/PID/stat: R S Z ... */
{
    char path[64], c = '?';
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '-';
    if (fscanf(f, "%*d (%*[^)]) %c", &c) != 1)
        c = '?';
    fclose(f);
    return c;
}

int main(void)
{
    pid_t pid = fork();
    if (pid == 0)
        return 7;                        /* the child ends at once */
    siginfo_t info;
    waitid(P_PID, pid, &info, WEXITED | WNOWAIT);   /* wait until it ended, but don't reap */
    printf("child exited; its state is %c (zombie)\n", state(pid));
    int status;
    waitpid(pid, &status, 0);            /* now collect it */
    printf("waitpid: exit status %d; its state is %c (gone)\n", WEXITSTATUS(status), state(pid));
    return 0;
}
