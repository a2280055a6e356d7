/* A student's mywhich.c: "executable" read from the mode bits (any x bit) instead of
   access(); strsep over a copy of PATH.
   verdict: pass */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int executable(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    return S_ISREG(st.st_mode) && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        char *copy = strdup(getenv("PATH")), *rest = copy, *dir, full[4096];
        int found = 0;
        if (strchr(argv[i], '/')) {          /* a path: checked, not searched */
            snprintf(full, sizeof full, "%s", argv[i]);
            found = executable(full);
            rest = NULL;
        }
        while (!found && (dir = strsep(&rest, ":"))) {
            snprintf(full, sizeof full, "%s/%s", dir[0] ? dir : ".", argv[i]);
            found = executable(full);
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
