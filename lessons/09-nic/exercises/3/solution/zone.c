/* zone: frames from a child ("the card") to its parent through shared
 * memory -- fastnet's zone in user space. Usage: ./zone FRAMES
 * prints "received FRAMES frames, in order, bytes exact".
 *
 * No system call per frame: each side polls a slot's status, the only
 * handshake. The child writes the bytes and the length, then READY; the
 * parent sees READY, reads, then FREE. */
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

static void card(struct zone *zone, long frames)
{
	for (long k = 0; k < frames; k++) {
		struct slot *s = &zone->slot[k % SLOTS];

		while (s->status != FREE)
			sched_yield();	/* the parent has not read it yet */
		s->len = frame_len(k);
		for (unsigned int j = 0; j < s->len; j++)
			s->data[j] = (k + j) & 0xff;
		__sync_synchronize();	/* the bytes and len before READY */
		s->status = READY;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long frames = argc > 1 ? atol(argv[1]) : 0, bad = 0;
	struct zone *zone;
	pid_t child;

	if (frames <= 0) {
		fprintf(stderr, "usage: zone FRAMES\n");
		return 2;
	}
	zone = mmap(NULL, sizeof(*zone), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (zone == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0)
		card(zone, frames);
	for (long k = 0; k < frames; k++) {
		struct slot *s = &zone->slot[k % SLOTS];

		while (s->status != READY)
			sched_yield();	/* nothing to read yet */
		__sync_synchronize();	/* READY before the bytes */
		bad += s->len != frame_len(k);
		for (unsigned int j = 0; j < s->len && j < BUF; j++)
			bad += s->data[j] != ((k + j) & 0xff);
		s->status = FREE;
	}
	waitpid(child, NULL, 0);
	if (bad) {
		printf("received %ld frames, %ld wrong bytes or lengths\n",
		       frames, bad);
		return 1;
	}
	printf("received %ld frames, in order, bytes exact\n", frames);
	return 0;
}
