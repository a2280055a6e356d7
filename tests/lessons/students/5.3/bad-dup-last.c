/* A student's redirect.c: the file redirections first, `2>&1` saved for the end -- so
   `2>&1 > f` sends stderr into f too, unlike a shell.
   verdict: fail "left to right: > f 2>&1 and 2>&1 > f differ as in a shell" "differs from `sh -c" */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char *w[64], *args[64];
    int n = 0, k = 0, both = 0;
    for (char *t = strtok(argv[1], " "); t; t = strtok(NULL, " "))
        w[n++] = t;
    if (fork() == 0) {
        for (int i = 0; i < n; i++) {
            int fd;
            if (!strcmp(w[i], "2>&1")) {
                both = 1;
            } else if (!strcmp(w[i], "<")) {
                if ((fd = open(w[++i], O_RDONLY)) < 0) {
                    perror(w[i]);
                    _exit(1);
                }
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
        if (both)
            dup2(1, 2);
        args[k] = NULL;
        execvp(args[0], args);
        _exit(127);
    }
    int status;
    wait(&status);
    return WEXITSTATUS(status);
}
