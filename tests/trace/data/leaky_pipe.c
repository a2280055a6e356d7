/* The classic pipe bug, on purpose: the reader forgets to close its copy of the
 * pipe's write end, so its read() can never return 0 (end of file) — a pipe
 * reports EOF only when every write end in every process is closed. The alarm
 * ends the demo: the reader is killed by SIGALRM instead of waiting forever. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    char buf[64];

    if (pipe(p) < 0)
        return 1;
    pid_t writer = fork();
    if (writer == 0) {
        close(p[0]);
        write(p[1], "hello\n", 6);
        _exit(0);
    }
    pid_t reader = fork();
    if (reader == 0) {
        /* BUG: close(p[1]) is missing here. */
        ualarm(300000, 0);
        while (read(p[0], buf, sizeof buf) > 0)
            ;
        _exit(0);
    }
    close(p[0]);
    close(p[1]);
    waitpid(writer, NULL, 0);
    waitpid(reader, NULL, 0);
    return 0;
}
