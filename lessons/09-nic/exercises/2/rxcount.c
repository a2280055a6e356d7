/* rxcount: an interface's receive counters.
 * Usage: ./rxcount IFACE [FILE]   (FILE: /proc/net/dev by default)
 * prints "IFACE: P packets, B bytes received". */
#include <stdio.h>

int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : "/proc/net/dev";

	if (argc < 2) {
		fprintf(stderr, "usage: rxcount IFACE [FILE]\n");
		return 2;
	}
	/* TODO: find IFACE's line in `path`, print its received packets
	 * and bytes */
	(void)path;
	return 0;
}
