/* rxcount: an interface's receive counters.
 * Usage: ./rxcount IFACE [FILE]   (FILE: /proc/net/dev by default)
 * prints "IFACE: P packets, B bytes received".
 *
 * /proc/net/dev: two header lines, then one line per interface, its name
 * right-aligned and followed by a colon, then the receive counters
 * (bytes, packets, errs, drop, ...) and the transmit ones. A large number
 * may touch the colon: "  eth0:123456789 ...". */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : "/proc/net/dev";
	unsigned long long bytes, packets;
	char line[1024];
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: rxcount IFACE [FILE]\n");
		return 2;
	}
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *name = line;

		if (!colon)
			continue;	/* a header line */
		*colon = '\0';
		while (*name == ' ')
			name++;
		if (strcmp(name, argv[1]) == 0 &&
		    sscanf(colon + 1, "%llu %llu", &bytes, &packets) == 2) {
			printf("%s: %llu packets, %llu bytes received\n",
			       name, packets, bytes);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	fprintf(stderr, "rxcount: no interface %s\n", argv[1]);
	return 1;
}
