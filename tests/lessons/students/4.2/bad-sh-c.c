/* A student's pipeline.c: glues the words into a command line and hands it to sh -c.
   verdict: fail "the tracer sees a child per stage, a pipe between each, no shell" "three stages need three children" */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char line[8192] = "";
    for (int i = 1; i < argc; i++) {
        strcat(line, strcmp(argv[i], "--") == 0 ? "|" : argv[i]);
        strcat(line, " ");
    }
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", line, (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
}
