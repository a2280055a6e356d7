/*
 * ring: a NIC's receive ring, played by two processes sharing memory.
 *
 * Usage: ./ring FRAMES DESCRIPTORS [BATCH | norefill]
 *
 * The child is the NIC: it owns the descriptors from `head` up to (not including) `tail`,
 * writes frame after frame into the buffer each one names, marks it done (DD) and moves
 * `head` on -- as a real card does by DMA, without asking the CPU. The parent is the
 * driver: it cleans done descriptors in ring order (next_to_clean), reads each frame, and
 * gives the descriptors back to the card by moving `tail` -- every BATCH cleaned ones (e1000
 * moves its tail register every 16), or never ("norefill", the classic bug).
 *
 * head == tail means the card has no free descriptor: it must wait (a real one drops the
 * frames). So a ring of N descriptors holds at most N - 1 frames the driver has not cleaned.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_DESC 4096
#define BUF 64
#define DD 1			/* descriptor done: the card filled it */

struct desc {
	unsigned int len;
	volatile unsigned int status;
};

struct shared {
	volatile unsigned int head;	/* the card's next descriptor (e1000: RDH) */
	volatile unsigned int tail;	/* the first one the card may not use (RDT) */
	volatile int nic_waiting;	/* the card found no free descriptor */
	volatile int driver_gone;
	struct desc ring[MAX_DESC];
	char buf[MAX_DESC][BUF];
};

static void nic(struct shared *sh, unsigned int n, long frames)
{
	for (long seq = 0; seq < frames; seq++) {
		unsigned int h = sh->head;

		while (h == sh->tail) {	/* no free descriptor: wait for the driver */
			sh->nic_waiting = 1;
			if (sh->driver_gone)
				_exit(0);
			sched_yield();
		}
		sh->nic_waiting = 0;
		sh->ring[h].len = snprintf(sh->buf[h], BUF, "frame %ld", seq) + 1;
		__sync_synchronize();	/* the frame, then DD: the driver reads them in order */
		sh->ring[h].status = DD;
		sh->head = (h + 1) % n;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long frames = argc > 1 ? atol(argv[1]) : 0, got = 0, in_order = 1;
	unsigned int n = argc > 2 ? atoi(argv[2]) : 0, ntc = 0, pending = 0;
	int norefill = argc > 3 && !strcmp(argv[3], "norefill");
	unsigned int batch = argc > 3 && !norefill ? atoi(argv[3]) : 1;
	struct shared *sh;
	char want[BUF];
	pid_t child;

	if (frames <= 0 || n < 2 || n > MAX_DESC || batch < 1) {
		fprintf(stderr, "usage: ring FRAMES DESCRIPTORS(2..%d) [BATCH | norefill]\n",
			MAX_DESC);
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	sh->tail = n - 1;	/* the driver fills the ring: every descriptor but one */
	child = fork();
	if (child == 0)
		nic(sh, n, frames);
	while (got < frames) {
		struct desc *d = &sh->ring[ntc];

		if (!(d->status & DD)) {
			__sync_synchronize();
			/* Nothing to clean, the card waits for a descriptor, and we give none
			 * back before `batch` are pending: nothing can ever move again. */
			if (sh->nic_waiting && sh->head == sh->tail && !(d->status & DD) &&
			    (norefill || pending < batch))
				break;
			sched_yield();
			continue;
		}
		__sync_synchronize();
		snprintf(want, sizeof(want), "frame %ld", got);
		in_order &= strcmp(sh->buf[ntc], want) == 0;
		got++;
		d->status = 0;
		ntc = (ntc + 1) % n;
		if (!norefill && ++pending >= batch) {	/* give them back to the card */
			sh->tail = (sh->tail + pending) % n;
			pending = 0;
		}
	}
	sh->driver_gone = 1;
	waitpid(child, NULL, 0);
	printf("received %ld of %ld frames, %s, through a ring of %u descriptors\n", got, frames,
	       in_order ? "in order" : "OUT OF ORDER", n);
	if (got < frames)
		printf("then the card had no free descriptor, and the driver gave none back\n");
	return got == frames ? 0 : 1;
}
