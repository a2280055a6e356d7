/* When a parent dies first, its child is adopted (by init, or by a "subreaper"). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    pid_t parent = getpid();
    if (fork() == 0) {
        printf("child: my parent is %d\n", getppid());
        fflush(stdout);
        while (getppid() == parent)       /* wait until the parent has gone */
            usleep(1000);
        printf("child: orphaned, adopted by %d\n", getppid());
        return 0;
    }
    usleep(50000);
    printf("parent %d: exiting without waiting\n", parent);
    return 0;
}
