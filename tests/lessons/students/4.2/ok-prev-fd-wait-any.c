/* A student's pipeline.c: the read end of the previous pipe carried along; the children
   reaped in whatever order they end (wait), the last stage recognised by its pid;
   debug lines on stderr.
   verdict: pass */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int in = -1, start = 1, status;
    pid_t last = -1, pid;

    for (int i = 1; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], "--") != 0)
            continue;
        int is_last = i == argc, p[2] = {-1, -1};
        argv[i] = NULL;
        if (!is_last)
            pipe(p);
        pid = fork();
        if (pid == 0) {
            if (in != -1) {
                dup2(in, 0);
                close(in);
            }
            if (!is_last) {
                dup2(p[1], 1);
                close(p[0]);
                close(p[1]);
            }
            execvp(argv[start], argv + start);
            perror(argv[start]);
            _exit(127);
        }
        fprintf(stderr, "pipeline: stage %s is pid %d\n", argv[start], pid);
        if (in != -1)
            close(in);
        if (!is_last)
            close(p[1]);
        in = p[0];
        last = pid;
        start = i + 1;
    }
    int code = 0;
    while ((pid = wait(&status)) > 0)
        if (pid == last)
            code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return code;
}
