/* Two files open, one with O_CLOEXEC: after exec, only the other one is still open. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    int kept = open("/etc/hostname", O_RDONLY);
    int closed = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    printf("before exec: fd %d is /etc/hostname, fd %d is /etc/passwd (O_CLOEXEC)\n",
           kept, closed);
    fflush(stdout);
    execl("./showfds", "showfds", (char *)NULL);
    perror("showfds");
    return 127;
}
