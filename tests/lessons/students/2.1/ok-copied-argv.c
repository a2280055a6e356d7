/* A student's myexec.c: a new argv array copied by hand, setvbuf to make stdout
   unbuffered, _exit(127) after a failed exec.
   verdict: pass */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: myexec PROG ARGS...\n");
        return 2;
    }
    char **args = calloc(argc, sizeof *args);
    for (int i = 1; i < argc; i++)
        args[i - 1] = argv[i];
    printf("pid %d: exec %s\n", (int)getpid(), args[0]);
    execvp(args[0], args);
    fputs("myexec: ", stderr);
    perror(args[0]);
    _exit(127);
}
