/* A student's pfwatch.c: getrusage(RUSAGE_SELF) -- pfwatch's own faults, the same
   whatever the command does.
   verdict: fail "touching K more pages costs the command about K more faults" "Report the CHILD's faults" */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "minor %ld major %ld\n", ru.ru_minflt, ru.ru_majflt);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
