/* A student's pfwatch.c: the report on stdout, in the middle of the command's output.
   verdict: fail "touching K more pages costs the command about K more faults" "on stderr" */
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
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    printf("minor %ld major %ld\n", ru.ru_minflt, ru.ru_majflt);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
