/* A student's redirect.c: words split with strsep, files opened with mode 0644, `2>&1`
   done with close(2) + fcntl(1, F_DUPFD, 2); wait() and the status as a shell's $?.
   verdict: pass */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void onto(int target, const char *file, int flags)
{
    int fd = open(file, flags, 0644);
    if (fd < 0) {
        fprintf(stderr, "redirect: %s: %s\n", file, strerror(errno));
        _exit(1);
    }
    dup2(fd, target);
    if (fd != target)
        close(fd);
}

int main(int argc, char *argv[])
{
    char *line = argv[1], *word, *args[64];
    int n = 0;
    if (fork() == 0) {
        while ((word = strsep(&line, " ")) != NULL) {
            if (*word == '\0')
                continue;
            if (strcmp(word, "2>&1") == 0) {
                close(2);
                fcntl(1, F_DUPFD, 2);
            } else if (strcmp(word, ">") == 0) {
                onto(1, strsep(&line, " "), O_WRONLY | O_CREAT | O_TRUNC);
            } else if (strcmp(word, ">>") == 0) {
                onto(1, strsep(&line, " "), O_WRONLY | O_CREAT | O_APPEND);
            } else if (strcmp(word, "2>") == 0) {
                onto(2, strsep(&line, " "), O_WRONLY | O_CREAT | O_TRUNC);
            } else if (strcmp(word, "<") == 0) {
                onto(0, strsep(&line, " "), O_RDONLY);
            } else {
                args[n++] = word;
            }
        }
        args[n] = NULL;
        execvp(args[0], args);
        fprintf(stderr, "redirect: %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    int status;
    wait(&status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
