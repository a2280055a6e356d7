/* zone: frames from a child ("the card") to its parent through shared
 * memory -- fastnet's zone in user space. Usage: ./zone FRAMES
 * prints "received FRAMES frames, in order, bytes exact". */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SLOTS 64
#define BUF 2048
#define FREE 0
#define READY 1

struct slot {
	unsigned int len;
	volatile unsigned int status;
	unsigned char data[BUF];
};

struct zone {
	struct slot slot[SLOTS];
};

/* Frame k's length: 60..1514 bytes, like Ethernet frames. */
static unsigned int frame_len(long k)
{
	return 60 + (unsigned int)(k * 37 % 1455);
}

int main(int argc, char **argv)
{
	long frames = argc > 1 ? atol(argv[1]) : 0;

	if (frames <= 0) {
		fprintf(stderr, "usage: zone FRAMES\n");
		return 2;
	}
	/* TODO: mmap a struct zone (MAP_SHARED | MAP_ANONYMOUS), fork; the
	 * child writes the frames (frame k into slot k % SLOTS, byte j =
	 * (k + j) & 0xff) and exits; the parent reads and checks them in
	 * order, prints the result, and waits for the child. */
	(void)frame_len;
	return 0;
}
