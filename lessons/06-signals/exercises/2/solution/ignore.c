/* Reference solution of lesson 6, exercise 2. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The signals this tool knows by name; a number works too. */
static int signal_number(const char *spec)
{
    static const struct { const char *name; int number; } known[] = {
        {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT},
        {"TERM", SIGTERM},
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},
    };
    if (strncmp(spec, "SIG", 3) == 0)
        spec += 3;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(spec, known[i].name) == 0)
            return known[i].number;
    return atoi(spec);
}

int main(int argc, char *argv[])
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SIG CMD [ARGS...]\n", argv[0]);
        return 2;
    }
    int sig = signal_number(argv[1]);
    if (sig <= 0 || sig >= NSIG) {
        fprintf(stderr, "ignore: %s: not a signal\n", argv[1]);
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        /* kept by exec, unlike a handler */
        signal(sig, SIG_IGN);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "ignore: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                               : WEXITSTATUS(status);
}
