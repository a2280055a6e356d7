/* Every way an fd gets (or loses) close-on-exec, then an exec: the fd view must
 * show exactly the fds without FD_CLOEXEC surviving into echo. Prints its fds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);  /* both cloexec */
    int f = open("/etc/hostname", O_RDONLY);                   /* inherited by exec */
    int g = dup(f);                                            /* dup: not cloexec... */
    fcntl(g, F_SETFD, FD_CLOEXEC);                             /* ...until F_SETFD */
    int h = fcntl(f, F_DUPFD_CLOEXEC, 10);                     /* cloexec, >= 10 */
    int k = dup3(sv[0], 20, 0);                                /* dup3 without O_CLOEXEC */
    pipe2(p, O_CLOEXEC);
    fprintf(stderr, "fds %d %d %d %d %d %d %d %d\n", sv[0], sv[1], f, g, h, k, p[0], p[1]);
    if (fork() == 0) {
        dup2(p[1], 1);                                         /* dup2 clears cloexec */
        execl("/bin/echo", "echo", "x", (char *)0);
        _exit(127);
    }
    close(p[1]);
    char buf[8];
    read(p[0], buf, sizeof buf);
    wait(NULL);
    close_range(3, ~0U, 0);
    return 0;
}
