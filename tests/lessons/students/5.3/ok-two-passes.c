/* A student's redirect.c: the line tokenised into an array first (strtok), then a second
   pass in the child applies the redirections in order; perror for a missing file.
   verdict: pass */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *tok[128];
    int ntok = 0;
    for (char *t = strtok(argv[1], " "); t; t = strtok(NULL, " "))
        tok[ntok++] = t;
    pid_t pid = fork();
    if (pid == 0) {
        char *cmd[128];
        int ncmd = 0;
        for (int i = 0; i < ntok; i++) {
            int fd = -1, target = -1;
            if (!strcmp(tok[i], "2>&1")) {
                dup2(1, 2);
                continue;
            }
            if (!strcmp(tok[i], "<"))
                fd = open(tok[++i], O_RDONLY), target = 0;
            else if (!strcmp(tok[i], ">"))
                fd = open(tok[++i], O_WRONLY | O_CREAT | O_TRUNC, 0666), target = 1;
            else if (!strcmp(tok[i], ">>"))
                fd = open(tok[++i], O_WRONLY | O_CREAT | O_APPEND, 0666), target = 1;
            else if (!strcmp(tok[i], "2>"))
                fd = open(tok[++i], O_WRONLY | O_CREAT | O_TRUNC, 0666), target = 2;
            else {
                cmd[ncmd++] = tok[i];
                continue;
            }
            if (fd < 0) {
                perror(tok[i]);
                exit(1);
            }
            dup2(fd, target);
            close(fd);
        }
        cmd[ncmd] = NULL;
        execvp(cmd[0], cmd);
        perror(cmd[0]);
        exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
