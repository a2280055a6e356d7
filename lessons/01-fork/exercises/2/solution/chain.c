/* Reference solution of lesson 1, exercise 2. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);
    int gen = 0;
    while (gen < n) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        /* the parent: wait for the next generation */
        if (pid > 0) {
            waitpid(pid, NULL, 0);
            break;
        }
        /* the child: one generation more */
        gen++;
    }
    printf("generation %d: pid %d, parent %d\n", gen, getpid(), getppid());
    return 0;
}
