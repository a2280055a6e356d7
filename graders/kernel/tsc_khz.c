/*
 * tsc-khz: the frequency of this machine's time-stamp counter, in kHz.
 *
 * Build: gcc -static -O2 -o tsc-khz tsc_khz.c     Usage: tsc-khz
 *
 * Under QEMU's TCG emulation a guest's RDTSC reads the host's counter, but the guest kernel
 * cannot measure its rate: it calibrates against emulated timers (the PIT) that do not
 * keep real time, fails, and falls back to the jiffies clock -- 4 ms resolution, and no
 * precise interrupt-time accounting. The grader measures the rate here, on the host, and
 * tells the guest with `tsc_early_khz=`.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* A clock reading and a counter reading taken together: the pair read closest in time of a
 * few tries (a preemption between the two reads would skew one). */
static void pair(double *t, unsigned long long *tsc)
{
	double best = 1.0;

	for (int i = 0; i < 20; i++) {
		double a = seconds();
		unsigned long long c = __rdtsc();
		double b = seconds();

		if (b - a < best) {
			best = b - a;
			*t = (a + b) / 2;
			*tsc = c;
		}
	}
}

int main(void)
{
	struct timespec wait = { 0, 100 * 1000 * 1000 };
	unsigned long long c0, c1;
	double t0, t1;

	pair(&t0, &c0);
	nanosleep(&wait, NULL);
	pair(&t1, &c1);
	printf("%.0f\n", (c1 - c0) / (t1 - t0) / 1000.0);
	return 0;
}
