/* fdspy -- stands in for a real program (ls, wc, ...) to see what it inherited.
 *
 * Installed as symlinks named after the programs it spies on, in a folder put first in
 * PATH. It appends one line to $FDSPY_LOG -- its name, its open fds, and its parent's name
 * (from /proc) -- then execs the real program, found in $FDSPY_PATH. The checks of
 * lessons 4 and 5 read the log to tell a student which fds leaked into a child.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void parent_name(char *out, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", getppid());
    FILE *f = fopen(path, "r");
    out[0] = '\0';
    if (f) {
        if (fgets(out, (int)size, f))
            out[strcspn(out, "\n")] = '\0';
        fclose(f);
    }
}

int main(int argc, char *argv[])
{
    (void)argc;
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    char line[1024], parent[64];
    int len = snprintf(line, sizeof line, "%s fds=", name);
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
            continue;
        len += snprintf(line + len, sizeof line - len, "%s,", e->d_name);
    }
    if (d)
        closedir(d);
    parent_name(parent, sizeof parent);
    snprintf(line + len, sizeof line - len, " parent=%s\n", parent);
    const char *log = getenv("FDSPY_LOG");
    int fd = log ? open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
    if (fd >= 0) {
        write(fd, line, strlen(line));
        close(fd);
    }
    const char *path = getenv("FDSPY_PATH");
    char *dirs = strdup(path ? path : "/usr/bin:/bin");
    for (char *dir = strtok(dirs, ":"); dir; dir = strtok(NULL, ":")) {
        char real[PATH_MAX];
        snprintf(real, sizeof real, "%s/%s", dir, name);
        execv(real, argv);
    }
    fprintf(stderr, "fdspy: no real %s found\n", name);
    return 127;
}
