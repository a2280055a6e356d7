/* A student's mypipe.c: system("ls | wc -l") -- the shell does all the work.
   verdict: fail "ls and wc are children of mypipe, not of a shell" "fork and exec the two programs yourself" */
#include <stdlib.h>

int main(void)
{
    return system("ls | wc -l") == 0 ? 0 : 1;
}
