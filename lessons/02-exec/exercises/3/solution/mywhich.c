/* Reference solution of lesson 2, exercise 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int runnable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

static int find(const char *name, char *full, size_t size)
{
    if (strchr(name, '/')) {             /* a path: no search */
        snprintf(full, size, "%s", name);
        return runnable(full);
    }
    char *copy = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    char *rest = copy, *dir;
    int found = 0;
    /* strsep keeps "" entries */
    while (!found && (dir = strsep(&rest, ":")) != NULL) {
        snprintf(full, size, "%s/%s", *dir ? dir : ".", name);
        /* missing or not executable: next folder */
        found = runnable(full);
    }
    free(copy);
    return found;
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
