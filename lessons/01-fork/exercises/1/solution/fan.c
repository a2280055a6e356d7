/* Reference solution of lesson 1's exercise (kept out of the student's
   folder). */
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
    int sum = 0;

    for (int i = 1; i <= n; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            printf("child %d: pid %d, parent %d\n", i, getpid(),
                   getppid());
            exit(i);
        }
    }
    int status;
    while (wait(&status) > 0)
        if (WIFEXITED(status))
            sum += WEXITSTATUS(status);

    printf("parent %d: reaped %d children, statuses add up to %d\n",
           getpid(), n, sum);
    return 0;
}
