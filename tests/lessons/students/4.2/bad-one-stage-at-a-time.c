/* A student's pipeline.c: waits for each stage before starting the next. Small outputs
   fit in the pipe and it seems to work; more than a pipe holds (64 KiB) and the first
   stage blocks forever on a full pipe nobody reads yet.
   verdict: fail "more than a pipe holds flows through: the stages run at the same time" "at the same time" */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int in = -1, start = 1, status = 0;
    for (int i = 1; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], "--") != 0)
            continue;
        int p[2] = {-1, -1};
        argv[i] = NULL;
        if (i < argc)
            pipe(p);
        pid_t pid = fork();
        if (pid == 0) {
            if (in != -1) {
                dup2(in, 0);
                close(in);
            }
            if (p[1] != -1) {
                dup2(p[1], 1);
                close(p[0]);
                close(p[1]);
            }
            execvp(argv[start], argv + start);
            _exit(127);
        }
        if (in != -1)
            close(in);
        if (p[1] != -1)
            close(p[1]);
        waitpid(pid, &status, 0);
        in = p[0];
        start = i + 1;
    }
    return WEXITSTATUS(status);
}
