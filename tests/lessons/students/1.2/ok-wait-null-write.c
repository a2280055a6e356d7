/* A student's chain.c: wait(NULL), the line made with snprintf and written with write(2)
   -- no stdio buffer to flush before fork.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int n = atoi(argv[1]), g;
    char buf[100];

    for (g = 0; g < n; g++)
        if (fork() != 0) {
            wait(NULL);
            break;
        }
    int len = snprintf(buf, sizeof buf, "generation %d: pid %d, parent %d\n", g, getpid(),
                       getppid());
    write(STDOUT_FILENO, buf, len);
    return 0;
}
