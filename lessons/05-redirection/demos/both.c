/* Write one line to stdout (fd 1) and one to stderr (fd 2), so we can see where each goes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char out[64], err[64];
    const char *tag = argc > 1 ? argv[1] : "";
    snprintf(out, sizeof out, "out%s\n", tag);
    snprintf(err, sizeof err, "err%s\n", tag);
    write(1, out, strlen(out));          /* write(2) directly: no stdio buffer, fixed order */
    write(2, err, strlen(err));
    return 0;
}
