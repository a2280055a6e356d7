/* unused: how many descriptors of a receive ring the driver may refill
 * now.  Usage: ./unused COUNT NEXT_TO_USE NEXT_TO_CLEAN
 * prints "N descriptors to refill". */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: unused COUNT NEXT_TO_USE NEXT_TO_CLEAN\n");
		return 2;
	}
	/* TODO: parse argv[1..3] (reject bad ones: exit status 2), then print
	 * "N descriptors to refill" */
	(void)argv;
	return 0;
}
