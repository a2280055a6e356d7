/*
 * nicwatch: inside a QEMU machine with an emulated Intel e1000, watch the receive side's
 * counters move while packets arrive.
 *
 * Build: gcc -static -O2 -o nicwatch nicwatch.c   (it runs as the machine's only program)
 * Usage: nicwatch [PACKETS]
 *
 * The packets come from outside the machine: nicwatch asks the grader's host side
 * (graders/fastnet/wire.py) for PACKETS UDP datagrams to 10.0.2.15:5555, reads them with
 * an ordinary UDP socket, and acknowledges every 8 (the host never sends more than a
 * window ahead). After each fifth of them it prints what the kernel counted:
 *   rx_packets   frames the NIC's driver took from its rx ring (/sys/class/net/eth0/statistics)
 *   interrupts   the NIC's interrupts (/proc/interrupts, the eth0 line)
 *   skbs         packets that entered the network stack (/proc/net/softnet_stat, column 1)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define ETHERTYPE 0x88B5		/* the grader's control frames (wire.py) */
#define MAGIC_REQUEST 0x464E5251
#define MAGIC_ACK 0x464E414B
#define KIND_UDP 2
#define PORT 5555

static int ifindex, tx = -1;
static unsigned char mac[6];

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* One control frame to the host: broadcast, from us, "FNRQ run kind count size". */
static void control(uint32_t magic, uint32_t a, uint32_t b, uint32_t c)
{
	unsigned char f[60] = { 0 };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };

	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	put32(f + 14, magic);
	put32(f + 18, a);
	put32(f + 22, b);
	put32(f + 26, c);
	to.sll_ifindex = ifindex;
	memset(to.sll_addr, 0xff, 6);
	sendto(tx, f, sizeof(f), 0, (struct sockaddr *)&to, sizeof(to));
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The eth0 line of /proc/interrupts: "IRQ:  COUNT  ...  eth0". */
static long interrupts(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512];
	long count = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "eth0")) {
			char *colon = strchr(line, ':');

			count = colon ? strtol(colon + 1, NULL, 10) : -1;
		}
	if (f)
		fclose(f);
	return count;
}

static long skbs(void)
{
	FILE *f = fopen("/proc/net/softnet_stat", "r");
	unsigned long v;
	long sum = 0;
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx", &v) == 1)
			sum += v;
	if (f)
		fclose(f);
	return f ? sum : -1;
}

struct counters {
	long rx, irq, skb;
};

static struct counters now(void)
{
	struct counters c = {
		read_long("/sys/class/net/eth0/statistics/rx_packets"), interrupts(), skbs()
	};
	return c;
}

static int up(void)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	struct sockaddr_ll me = { .sll_family = AF_PACKET };
	int s = socket(AF_INET, SOCK_DGRAM, 0), i;

	ifindex = if_nametoindex("eth0");
	strcpy(ifr.ifr_name, "eth0");
	if (!ifindex || s < 0 || ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
		return 0;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.2.15", &sin->sin_addr);
	ioctl(s, SIOCSIFADDR, &ifr);
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	ioctl(s, SIOCSIFNETMASK, &ifr);
	ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	tx = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: sends only */
	me.sll_ifindex = ifindex;
	if (tx < 0 || bind(tx, (struct sockaddr *)&me, sizeof(me)) < 0)
		return 0;
	for (i = 0; i < 1000; i++) {	/* the link watch says "up": sending works */
		FILE *f = fopen("/sys/class/net/eth0/operstate", "r");
		char state[16] = "";

		if (f) {
			if (!fgets(state, sizeof(state), f))
				state[0] = 0;
			fclose(f);
		}
		if (!strncmp(state, "up", 2))
			return 1;
		usleep(10000);
	}
	return 0;
}

/* e1000's rx ring size, as `ethtool -g eth0` asks for it. */
static int rx_ring_size(void)
{
	struct ethtool_ringparam ring = { .cmd = ETHTOOL_GRINGPARAM };
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0), n = -1;

	strcpy(ifr.ifr_name, "eth0");
	ifr.ifr_data = (void *)&ring;
	if (s >= 0 && ioctl(s, SIOCETHTOOL, &ifr) == 0)
		n = ring.rx_pending;
	if (s >= 0)
		close(s);
	return n;
}

static void row(const char *when, long got, struct counters c, struct counters base)
{
	printf("%-12s %8ld %11ld %11ld %8ld\n", when, got, c.rx - base.rx, c.irq - base.irq,
	       c.skb - base.skb);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long packets = argc > 1 ? atol(argv[1]) : 500, got = 0, misses = 0;
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 500000 };
	struct counters base, c;
	int s, step = 1;
	char buf[256];

	if (!up()) {
		printf("nicwatch: no e1000 NIC (eth0) came up\n");
		return 1;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&me, sizeof(me)) < 0) {
		perror("nicwatch: UDP port 5555");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	printf("eth0: an e1000 NIC, rx ring of %d descriptors, irq line in /proc/interrupts\n",
	       rx_ring_size());
	printf("%-12s %8s %11s %11s %8s\n", "", "read()", "rx_packets", "interrupts", "skbs");
	base = now();
	row("start", 0, base, base);
	control(MAGIC_REQUEST, 1, KIND_UDP, packets);
	while (got < packets && misses < 20) {
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);

		if (n < 0) {	/* nothing for half a second: ask again (served once) */
			misses++;
			control(MAGIC_REQUEST, 1, KIND_UDP, packets);
			continue;
		}
		misses = 0;
		if (++got % 8 == 0)
			control(MAGIC_ACK, 1, got, 0);
		if (got * 5 >= packets * step) {
			snprintf(buf, sizeof(buf), "after %ld", got);
			row(buf, got, now(), base);
			step++;
		}
	}
	control(MAGIC_ACK, 1, got, 0);
	c = now();
	printf("read %ld of %ld datagrams; the NIC delivered %ld frames in %ld interrupts "
	       "(%.1f frames per interrupt); %ld skbs entered the stack\n", got, packets,
	       c.rx - base.rx, c.irq - base.irq,
	       c.irq > base.irq ? (double)(c.rx - base.rx) / (c.irq - base.irq) : 0.0,
	       c.skb - base.skb);
	return got == packets ? 0 : 1;
}
