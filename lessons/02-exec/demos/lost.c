/* Text still in stdio's buffer at exec is lost: the buffer was in the old program's memory. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("this line is lost when stdout is a pipe\n");
    execlp("echo", "echo", "echo ran", (char *)NULL);
    perror("execlp");
    return 127;
}
