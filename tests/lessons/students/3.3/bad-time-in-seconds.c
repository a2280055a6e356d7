/* A student's mytime.c: real time with time(NULL), whole seconds -- `sleep 0.3` shows
   as 0.00 or 1.00.
   verdict: fail "real time: a command that sleeps 0.3 s takes about 0.3 s" "took real" */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    struct rusage ru;
    int status;
    time_t a = time(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    wait4(pid, &status, 0, &ru);
    double real = (double)(time(NULL) - a);
    fprintf(stderr, "real %.2f user %.2f sys %.2f faults %ld\n", real,
            ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
            ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_minflt);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
