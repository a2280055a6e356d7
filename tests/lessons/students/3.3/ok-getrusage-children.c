/* A student's mytime.c: waitpid, then getrusage(RUSAGE_CHILDREN) -- the same numbers
   as wait4's for the one child waited for; gettimeofday for the wall clock.
   verdict: pass */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static double secs(struct timeval t)
{
    return t.tv_sec + t.tv_usec / 1000000.0;
}

int main(int argc, char *argv[])
{
    struct timeval start, end;
    gettimeofday(&start, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "mytime: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    gettimeofday(&end, NULL);
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    fprintf(stderr, "real %.2f user %.2f sys %.2f faults %ld\n", secs(end) - secs(start),
            secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_minflt);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
