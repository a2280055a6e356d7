/* Reference solution of lesson 5, exercise 3. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 64

/* Open PATH with FLAGS onto fd TARGET (the shell's `N> PATH`); exits the
   child on error. */
static void redirect(const char *path, int flags, int target)
{
    int fd = open(path, flags, 0666);
    if (fd < 0) {
        fprintf(stderr, "redirect: %s: %s\n", path, strerror(errno));
        _exit(1);
    }
    if (fd != target) {
        dup2(fd, target);
        close(fd);
    }
}

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s 'COMMAND LINE'\n", argv[0]);
        return 2;
    }
    char *words[MAX_WORDS];
    int n = 0;
    for (char *w = strtok(argv[1], " "); w && n < MAX_WORDS - 1;
         w = strtok(NULL, " "))
        words[n++] = w;
    words[n] = NULL;

    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        char *args[MAX_WORDS];
        int k = 0;
        /* left to right, as a shell does */
        for (int i = 0; i < n; i++) {
            const char *w = words[i], *file = words[i + 1];
            if (strcmp(w, "2>&1") == 0) {
                dup2(1, 2);
            } else if (file && strcmp(w, "<") == 0) {
                redirect(file, O_RDONLY, 0), i++;
            } else if (file && strcmp(w, ">") == 0) {
                redirect(file, O_WRONLY | O_CREAT | O_TRUNC, 1), i++;
            } else if (file && strcmp(w, ">>") == 0) {
                redirect(file, O_WRONLY | O_CREAT | O_APPEND, 1), i++;
            } else if (file && strcmp(w, "2>") == 0) {
                redirect(file, O_WRONLY | O_CREAT | O_TRUNC, 2), i++;
            } else {
                args[k++] = words[i];
            }
        }
        args[k] = NULL;
        execvp(args[0], args);
        fprintf(stderr, "redirect: %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                               : WEXITSTATUS(status);
}
