/* A student's mywhich.c: every name is searched in PATH, even `dir/name`, which a shell
   runs as it is.
   verdict: fail "a NAME with a / in it is checked as it is, not searched" "a name with a / is not searched" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int rc = 0;
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
        else {
            fprintf(stderr, "mywhich: %s: not found\n", argv[i]);
            rc = 1;
        }
        free(copy);
    }
    return rc;
}
