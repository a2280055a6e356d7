/* Open fds survive exec -- unless they were opened with O_CLOEXEC.
 *   ./keepfd          fd 3 is open in the new program: cat reads the file through it
 *   ./keepfd cloexec  fd 3 is closed by exec: cat finds no /dev/fd/3
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int flags = O_RDONLY;
    if (argc > 1 && strcmp(argv[1], "cloexec") == 0)
        flags |= O_CLOEXEC;
    int fd = open("message.txt", flags);
    if (fd < 0) {
        perror("message.txt");
        return 1;
    }
    printf("opened message.txt as fd %d, now exec cat /dev/fd/%d\n", fd, fd);
    fflush(stdout);
    char path[32];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    execlp("cat", "cat", path, (char *)NULL);
    perror("execlp");
    return 127;
}
