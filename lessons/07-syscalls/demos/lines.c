/* printf does not call write() each time: how many writes depends on stdout's buffering.
 *   ./lines N              N lines, default buffering (full into a pipe or file)
 *   ./lines N unbuffered   one write per printf
 *   ./lines N wide         N lines of 1000 bytes: the 4096-byte buffer fills mid-line
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char *argv[])
{
    int n = argc > 1 ? atoi(argv[1]) : 5;
    int wide = argc > 2 && strcmp(argv[2], "wide") == 0;
    if (argc > 2 && strcmp(argv[2], "unbuffered") == 0)
        setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i <= n; i++)
        if (wide)
            printf("line %0994d\n", i);     /* 1000 bytes with the newline */
        else
            printf("line %d\n", i);
    return 0;
}
