/* redirect.c -- lesson 5, exercise 3: the redirections of a command line.
 *
 *   ./redirect 'CMD ARGS... [< F] [> F] [>> F] [2> F] [2>&1]'
 *
 * One argument: words separated by single spaces. The redirection operators are
 * words of their own, followed by the file name word: <  >  >>  2>  -- and 2>&1
 * alone. In the child, apply them LEFT TO RIGHT (2>&1 copies fd 1 as it is at
 * that point), then exec the remaining words. Wait, and exit with the command's
 * status, like sh -c 'LINE'.
 *
 * Check it with:  minilesson check 5.3
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORDS 64

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s 'COMMAND LINE'\n", argv[0]);
        return 2;
    }
    char *words[MAX_WORDS];
    int n = 0;
    for (char *w = strtok(argv[1], " "); w && n < MAX_WORDS - 1;
         w = strtok(NULL, " "))
        words[n++] = w;
    words[n] = NULL;

    pid_t pid = fork();
    if (pid == 0) {
        /* TODO: apply the redirections in order, and exec only the other words.
         */
        execvp(words[0], words);
        fprintf(stderr, "redirect: %s: %s\n", words[0], strerror(errno));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
