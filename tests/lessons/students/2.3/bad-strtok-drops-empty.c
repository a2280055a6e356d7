/* A student's mywhich.c: strtok, which skips empty PATH entries -- `:/bin` loses the
   current folder.
   verdict: fail "not found: a message on stderr and status 1; './' for an empty PATH entry" "an empty entry in PATH is the current folder" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        char *copy = strdup(getenv("PATH")), full[4096];
        int found = 0;
        for (char *dir = strtok(copy, ":"); dir && !found; dir = strtok(NULL, ":")) {
            struct stat st;
            snprintf(full, sizeof full, "%s/%s", dir, argv[i]);
            found = stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0;
        }
        if (found)
            printf("%s\n", full);
        else {
            fprintf(stderr, "mywhich: %s: not found\n", argv[i]);
            rc = 1;
        }
        free(copy);
    }
    return rc;
}
