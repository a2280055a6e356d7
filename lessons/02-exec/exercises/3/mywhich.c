/* mywhich.c -- lesson 2, exercise 3: find programs in PATH, as execvp does.
 *
 *   ./mywhich NAME...
 *
 * For each NAME print the first DIR/NAME, for DIR in $PATH in order, that is a
 * regular file with execute permission (stat + S_ISREG, access X_OK). An empty
 * entry in PATH means the current folder: print ./NAME. A NAME containing '/'
 * is checked as it is. Not found anywhere: print "mywhich: NAME: not found" on
 * stderr. Exit with 1 if some NAME was not found, else 0.
 *
 * Check it with:  minilesson check 2.3
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path of NAME found in PATH, written to FULL; 0 when not found. */
static int find(const char *name, char *full, size_t size)
{
    /* TODO: try each folder of PATH in order. */
    (void)name;
    (void)full;
    (void)size;
    return 0;
}

int main(int argc, char *argv[])
{
    int missing = 0;
    char full[4096];
    for (int i = 1; i < argc; i++) {
        if (find(argv[i], full, sizeof full)) {
            printf("%s\n", full);
        } else {
            fprintf(stderr, "mywhich: %s: not found\n", argv[i]);
            missing = 1;
        }
    }
    return missing;
}
