/* Two forks in a row: 1 process becomes 2, then each of the 2 becomes 2. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    fork();
    fork();
    printf("hello from %d\n", getpid());
    while (wait(NULL) > 0)               /* reap my children, if I have any */
        ;
    return 0;
}
