/* A student's mytime.c: the report printed on stdout, mixed with the command's output.
   verdict: fail "real time: a command that sleeps 0.3 s takes about 0.3 s" "on stderr" */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    struct timespec a, b;
    struct rusage ru;
    int status;

    clock_gettime(CLOCK_MONOTONIC, &a);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    wait4(pid, &status, 0, &ru);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("real %.2f user %.2f sys %.2f faults %ld\n",
           (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_minflt);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
