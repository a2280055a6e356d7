/* A student's mywhich.c: right answers, but exits with 0 even when a name was not found.
   verdict: fail "not found: a message on stderr and status 1; './' for an empty PATH entry" "exit status 1" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    for (int i = 1; i < argc; i++) {
        char *copy = strdup(getenv("PATH")), *rest = copy, *dir, full[4096];
        int found = 0;
        while (!found && (dir = strsep(&rest, ":"))) {
            struct stat st;
            snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", argv[i]);
            found = stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0;
        }
        if (found)
            printf("%s\n", full);
        else
            fprintf(stderr, "mywhich: %s: not found\n", argv[i]);
        free(copy);
    }
    return 0;
}
