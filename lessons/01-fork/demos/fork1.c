/* One program becomes two: fork() returns twice, 0 in the child, the child's pid in the parent. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("one process: pid %d\n", getpid());
    fflush(stdout);                      /* empty the buffer before it is copied */
    pid_t pid = fork();
    if (pid == 0) {
        printf("child:  pid %d, my parent is %d\n", getpid(), getppid());
        return 0;
    }
    waitpid(pid, NULL, 0);               /* the parent waits: the child prints first */
    printf("parent: pid %d, my child was %d\n", getpid(), pid);
    return 0;
}
