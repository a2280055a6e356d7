/* writes -- make exactly K write() calls (to /dev/null), then exit: a known count for the
 * syscall counter of lesson 7's exercise.   ./writes K
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int k = argc > 1 ? atoi(argv[1]) : 0;
    int fd = open("/dev/null", O_WRONLY);
    for (int i = 0; i < k; i++)
        write(fd, "x", 1);
    return 0;
}
