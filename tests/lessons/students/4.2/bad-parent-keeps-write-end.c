/* A student's pipeline.c: the parent never closes the write ends it made -- every stage
   but the first waits for an end of file that never comes.
   verdict: fail "three stages print what the shell's pipeline prints" "every copy of its pipe's write end is closed" */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int in = -1, start = 1, status, code = 0;
    pid_t last = -1;
    for (int i = 1; i <= argc; i++) {
        if (i < argc && strcmp(argv[i], "--") != 0)
            continue;
        int p[2] = {-1, -1};
        argv[i] = NULL;
        if (i < argc)
            pipe(p);
        last = fork();
        if (last == 0) {
            if (in != -1)
                dup2(in, 0);
            if (p[1] != -1)
                dup2(p[1], 1);
            execvp(argv[start], argv + start);
            _exit(127);
        }
        in = p[0];
        start = i + 1;
    }
    waitpid(last, &status, 0);
    code = WEXITSTATUS(status);
    while (wait(NULL) > 0)
        ;
    return code;
}
