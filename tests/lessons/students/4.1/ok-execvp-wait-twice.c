/* A student's mypipe.c: argv arrays and execvp, wait(NULL) twice for the two children.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd[2];
    char *ls[] = {"ls", NULL}, *wc[] = {"wc", "-l", NULL};

    if (pipe(fd) < 0) {
        perror("pipe");
        return 1;
    }
    if (fork() == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execvp(ls[0], ls);
        perror("ls");
        exit(127);
    }
    if (fork() == 0) {
        dup2(fd[0], STDIN_FILENO);
        close(fd[0]);
        close(fd[1]);
        execvp(wc[0], wc);
        perror("wc");
        exit(127);
    }
    close(fd[0]);
    close(fd[1]);
    wait(NULL);
    wait(NULL);
    return 0;
}
