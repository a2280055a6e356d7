/* A student's mywhich.c: any file that exists is taken, executable or not.
   verdict: fail "a file that is not executable is skipped, as execvp skips EACCES" "has no execute permission" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        char *copy = strdup(getenv("PATH")), *rest = copy, *dir, full[4096];
        int found = 0;
        while (!found && (dir = strsep(&rest, ":"))) {
            snprintf(full, sizeof full, "%s/%s", *dir ? dir : ".", argv[i]);
            found = access(full, F_OK) == 0;
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
