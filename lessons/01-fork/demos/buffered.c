/* stdio's buffer lives in the process's memory, so fork() copies it too. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("printed once?\n");           /* on a terminal: written now; into a pipe: buffered */
    if (fork() == 0)
        return 0;                        /* the child flushes its copy of the buffer at exit */
    wait(NULL);
    return 0;
}
