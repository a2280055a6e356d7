/* A student's pfwatch.c: posix_spawnp, then wait4(-1, ...) -- any child: there is one.
   verdict: pass */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char *argv[])
{
    pid_t pid;
    int err = posix_spawnp(&pid, argv[1], NULL, NULL, &argv[1], environ);
    if (err) {
        fprintf(stderr, "pfwatch: %s: %s\n", argv[1], strerror(err));
        return 127;
    }
    int status;
    struct rusage usage;
    if (wait4(-1, &status, 0, &usage) < 0) {
        perror("wait4");
        return 1;
    }
    fprintf(stderr, "minor %ld major %ld\n", usage.ru_minflt, usage.ru_majflt);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
