/* A student's redirect.c: open()'s result not checked -- `< no-such-file` leaves stdin
   as it was and cat runs anyway.
   verdict: fail "the command's status and a missing input file" "must fail, saying which file" */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char *w[64], *args[64];
    int n = 0, k = 0;
    for (char *t = strtok(argv[1], " "); t; t = strtok(NULL, " "))
        w[n++] = t;
    if (fork() == 0) {
        for (int i = 0; i < n; i++) {
            int fd;
            if (!strcmp(w[i], "2>&1")) {
                dup2(1, 2);
            } else if (!strcmp(w[i], "<")) {
                fd = open(w[++i], O_RDONLY);
                dup2(fd, 0), close(fd);
            } else if (!strcmp(w[i], ">") || !strcmp(w[i], ">>")) {
                int flags = O_WRONLY | O_CREAT | (w[i][1] ? O_APPEND : O_TRUNC);
                fd = open(w[++i], flags, 0666);
                dup2(fd, 1), close(fd);
            } else if (!strcmp(w[i], "2>")) {
                fd = open(w[++i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
                dup2(fd, 2), close(fd);
            } else {
                args[k++] = w[i];
            }
        }
        args[k] = NULL;
        execvp(args[0], args);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
