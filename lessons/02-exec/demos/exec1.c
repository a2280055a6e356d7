/* execvp() replaces the program; the process -- and its pid -- stays. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("before exec: pid %d\n", getpid());
    fflush(stdout);                      /* exec throws away this process's memory */
    char *argv[] = {"sh", "-c", "echo \"after exec:  pid $$\"", NULL};
    execvp("sh", argv);                  /* returns only if it failed */
    perror("execvp");
    return 127;
}
