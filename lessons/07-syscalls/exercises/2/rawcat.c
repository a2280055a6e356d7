/* rawcat.c -- lesson 7, exercise 2: cat with system calls only.
 *
 *   ./rawcat [FILE...]
 *
 * Copy each FILE (or, with none, standard input) to standard output with open,
 * read, write and close -- no stdio for the data. Read and write by big chunks
 * (64 KiB), never byte by byte. A FILE that cannot be opened: print "rawcat:
 * FILE: <reason>" on stderr, go on with the others, and exit with 1 at the end
 * (0 when all went well).
 *
 * Check it with:  minilesson check 7.2
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    char c;

    /* TODO: files, and big chunks. For now: stdin, one byte per system call. */
    (void)argv;
    if (argc > 1)
        return 1;
    while (syscall(SYS_read, 0, &c, 1) == 1)
        syscall(SYS_write, 1, &c, 1);
    return 0;
}
