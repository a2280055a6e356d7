/* A student's mytee.c: fread/fwrite -- every byte arrives in the end, but stdout is a
   pipe, so stdio holds 4 KiB back: a line typed in does not come out until much later.
   verdict: fail "each chunk is passed on as it comes, not held back until end of file" "did not come out on its stdout" */
#include <stdio.h>
#include <string.h>

int main(int argc, char *argv[])
{
    int append = argc > 1 && strcmp(argv[1], "-a") == 0;
    FILE *files[32];
    int count = 0;
    for (int i = 1 + append; i < argc; i++)
        files[count++] = fopen(argv[i], append ? "a" : "w");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        fwrite(buf, 1, n, stdout);
        for (int k = 0; k < count; k++)
            fwrite(buf, 1, n, files[k]);
    }
    return 0;
}
