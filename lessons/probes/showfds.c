/* showfds -- print this process's open fds and what each refers to, one per line:
 *     0 -> /dev/pts/1
 * The checks of lesson 5 run it as the command of a student's redirection.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return 1;
    int fds[256], n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256)
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
            fds[n++] = atoi(e->d_name);
    closedir(d);
    for (int i = 0; i < n; i++)          /* readdir's order is not sorted: sort */
        for (int j = i + 1; j < n; j++)
            if (fds[j] < fds[i]) {
                int t = fds[i]; fds[i] = fds[j]; fds[j] = t;
            }
    static char out[256 * (PATH_MAX + 16)];
    int len = 0;
    for (int i = 0; i < n; i++) {        /* read every target before writing anything */
        char path[64], target[PATH_MAX];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[i]);
        ssize_t k = readlink(path, target, sizeof target - 1);
        target[k > 0 ? k : 0] = '\0';
        len += snprintf(out + len, sizeof out - len, "%d -> %s\n", fds[i], target);
    }
    fwrite(out, 1, len, stdout);
    return 0;
}
