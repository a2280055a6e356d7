/* mypipe.c -- lesson 4 exercise: run the pipeline `ls | wc -l`, as a shell
 * does.
 *
 *   ./mypipe
 *
 * must print exactly what `ls | wc -l` prints in the current folder. Use
 * pipe(), fork() (one child for ls, one for wc), dup2() and execlp()/execvp()
 * -- no system(), no sh -c. Every process must close the pipe ends it does not
 * use, and the parent must wait for both children.
 *
 * Check it with:  minilesson check 4
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fd[2];
    if (pipe(fd) < 0) {
        perror("pipe");
        return 1;
    }

    /* TODO: child 1: stdout := write end (dup2), close both pipe fds, exec
     * "ls". */

    /* TODO: child 2: stdin := read end (dup2), close both pipe fds, exec "wc"
     * "-l". */

    /* TODO: the parent: close both pipe fds, then wait for both children. */

    return 0;
}
