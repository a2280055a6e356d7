/* A student's redirect.c: `>>` handled like `>` -- the file is truncated.
   verdict: fail "> , >> and < each do what the shell does" "file f differs" */
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
                if ((fd = open(w[++i], O_RDONLY)) < 0) {
                    perror(w[i]);
                    _exit(1);
                }
                dup2(fd, 0), close(fd);
            } else if (!strcmp(w[i], ">") || !strcmp(w[i], ">>")) {
                fd = open(w[++i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
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
