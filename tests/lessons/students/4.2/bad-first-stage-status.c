/* A student's pipeline.c: exits with the status of the FIRST stage.
   verdict: fail "it exits with the last stage's status" "the last stage's status" */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int in = -1, start = 1, status, code = -1;
    for (int i = 1; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], "--") != 0)
            continue;
        int p[2] = {-1, -1};
        argv[i] = NULL;
        if (i < argc)
            pipe(p);
        if (fork() == 0) {
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
        in = p[0];
        start = i + 1;
    }
    while (wait(&status) > 0)
        if (code < 0)
            code = WEXITSTATUS(status);
    return code;
}
