/* unused: how many descriptors of a receive ring the driver may refill
 * now.  Usage: ./unused COUNT NEXT_TO_USE NEXT_TO_CLEAN
 * prints "N descriptors to refill".
 *
 * The driver refills at next_to_use and cleans at next_to_clean; one
 * descriptor always stays empty, or a full ring (head == tail) would look
 * like an empty one. */
#include <stdio.h>
#include <stdlib.h>

static int number(const char *text, long *out)
{
	char *end;

	*out = strtol(text, &end, 10);
	return *text != '\0' && *end == '\0';
}

int main(int argc, char **argv)
{
	long count, use, clean, unused;

	if (argc != 4 || !number(argv[1], &count) || !number(argv[2], &use) ||
	    !number(argv[3], &clean)) {
		fprintf(stderr, "usage: unused COUNT NEXT_TO_USE "
			"NEXT_TO_CLEAN (numbers)\n");
		return 2;
	}
	if (count < 2 || use < 0 || use >= count || clean < 0
	    || clean >= count) {
		fprintf(stderr, "unused: COUNT must be at least 2 and the "
			"indexes in 0..COUNT-1\n");
		return 2;
	}
	unused = clean - use - 1;	/* e1000's E1000_DESC_UNUSED() */
	if (unused < 0)
		unused += count;
	printf("%ld descriptors to refill\n", unused);
	return 0;
}
