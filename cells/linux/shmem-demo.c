/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bhshm: the Linux cell's end of a Bulkhead shared-memory channel
 * (docs/shmem.md), through the kernel's unmodified uio_pdrv_genirq driver:
 * /dev/uioN maps the channel (map 0) and the page of the cell's doorbell
 * slot (map 1), and read() waits for the doorbell interrupt.
 *
 *   bhshm [-c channel] recv [count] [seconds]
 *       print "from <peer>: <message>" for the next `count` messages
 *       (default 1), giving up after `seconds` (default 10, exit status 1),
 *       then "latency n=<n> min=<t> max=<t> sum=<t> ticks": publisher's stamp
 *       to this program's read, in `time` ticks
 *   bhshm [-c channel] send <text>
 *       publish text to every other member and ring them
 *   bhshm [-c channel] ping [count]
 *       `count` round trips (default 10, at most 64) to a peer that answers
 *       "ping <i>" with "pong <i>" (rtos-contract does): publish and ring,
 *       sleep in read() until the doorbell brings the answer; then
 *       "roundtrip n=<n> min=<t> med=<t> max=<t> ticks", in `time` ticks
 *
 * The channel is the UIO device whose name is its name (default: the first
 * bulkhead,channel device). Its rights come from the device tree node
 * (bulkhead,access); its member names from bulkhead,members.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bhshm.h"

#define NAME_MAX_LEN 64

struct uio {
	int fd;
	char sys[300]; /* /sys/class/uio/uioN */
	char members[BHSHM_MAX_MEMBERS][NAME_MAX_LEN];
	unsigned int num_members;
};

/* The first line of a small sysfs file, without its newline; -1 if unreadable. */
static int read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, size - 1U, f);
	fclose(f);
	buf[n] = '\0';
	if (n > 0U && buf[n - 1U] == '\n')
		buf[n - 1U] = '\0';
	return (int)n;
}

static unsigned long read_hex(const char *sys, const char *what)
{
	char path[400];
	char buf[64];

	snprintf(path, sizeof(path), "%s/maps/%s", sys, what);
	if (read_file(path, buf, sizeof(buf)) < 0) {
		fprintf(stderr, "bhshm: cannot read %s\n", path);
		exit(2);
	}
	return strtoul(buf, NULL, 0);
}

/* The uio device of `channel` (NULL: the first bulkhead,channel one). */
static int find_uio(const char *channel, struct uio *u)
{
	DIR *d = opendir("/sys/class/uio");
	struct dirent *e;
	int found = -1;

	if (d == NULL)
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		char path[320];
		char buf[NAME_MAX_LEN];
		if (strncmp(e->d_name, "uio", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/class/uio/%s/device/of_node/compatible",
			 e->d_name);
		if (read_file(path, buf, sizeof(buf)) < 0 || strcmp(buf, "bulkhead,channel") != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/class/uio/%s/name", e->d_name);
		if (read_file(path, buf, sizeof(buf)) < 0 ||
		    (channel != NULL && strcmp(buf, channel) != 0))
			continue;
		snprintf(u->sys, sizeof(u->sys), "/sys/class/uio/%s", e->d_name);
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		u->fd = open(path, O_RDWR);
		found = (u->fd >= 0) ? 0 : -1;
	}
	closedir(d);
	return found;
}

static void read_members(struct uio *u)
{
	char path[400];
	char buf[BHSHM_MAX_MEMBERS * NAME_MAX_LEN];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/device/of_node/bulkhead,members", u->sys);
	f = fopen(path, "r");
	u->num_members = 0;
	if (f == NULL)
		return;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (size_t at = 0; at < n && u->num_members < BHSHM_MAX_MEMBERS;
	     at += strlen(buf + at) + 1U) {
		snprintf(u->members[u->num_members], NAME_MAX_LEN, "%.*s", (int)(n - at), buf + at);
		u->num_members++;
	}
}

static int open_channel(const char *channel, struct uio *u, struct bhshm *e)
{
	char path[400];
	char access[8];
	long page = sysconf(_SC_PAGESIZE);

	if (find_uio(channel, u) != 0) {
		fprintf(stderr,
			"bhshm: no UIO device for channel %s "
			"(uio_pdrv_genirq.of_id=bulkhead,channel?)\n",
			channel != NULL ? channel : "(any)");
		return -1;
	}
	unsigned long size0 = read_hex(u->sys, "map0/size");
	unsigned long size1 = read_hex(u->sys, "map1/size");
	unsigned long slot = read_hex(u->sys, "map1/offset");
	void *shm = mmap(NULL, size0, PROT_READ | PROT_WRITE, MAP_SHARED, u->fd, 0);
	void *db = mmap(NULL, size1, PROT_READ | PROT_WRITE, MAP_SHARED, u->fd, page);
	snprintf(path, sizeof(path), "%s/device/of_node/bulkhead,access", u->sys);
	if (shm == MAP_FAILED || db == MAP_FAILED || read_file(path, access, sizeof(access)) < 0) {
		fprintf(stderr, "bhshm: cannot map %s: %s\n", u->sys, strerror(errno));
		return -1;
	}
	/* A read-only member maps the region read-only: a store would be its fault. */
	if (strcmp(access, "rw") != 0 && mprotect(shm, size0, PROT_READ) != 0)
		return -1;
	read_members(u);
	if (bhshm_open(e, shm, size0, (volatile uint8_t *)db + slot, strcmp(access, "rw") == 0) !=
	    0) {
		fprintf(stderr, "bhshm: the channel's layout is not usable\n");
		return -1;
	}
	return 0;
}

/* Re-arms the doorbell interrupt (uio_pdrv_genirq masks it in its handler). */
static void irq_on(const struct uio *u)
{
	int one = 1;

	if (write(u->fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		perror("bhshm: re-enable interrupt");
}

/* The machine's `time` (10 MHz on QEMU virt), the same for every cell: user
 * space reads it directly (the kernel enables scounteren.TM for its vDSO). */
static uint64_t now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

struct latency {
	unsigned long n;
	uint64_t min, max, sum;
};

static struct latency lat;

static void note_latency(const struct bhshm *e)
{
	uint64_t t = now();
	uint64_t d = (e->stamp != 0U && t >= e->stamp) ? t - e->stamp : 0U;

	if (e->stamp == 0U)
		return;
	lat.min = (lat.n == 0UL || d < lat.min) ? d : lat.min;
	lat.max = (d > lat.max) ? d : lat.max;
	lat.sum += d;
	lat.n++;
}

static int drain(struct uio *u, struct bhshm *e, int want, int got)
{
	char msg[BHSHM_MAX_PAYLOAD + 1];

	if (bhshm_generation_changed(e))
		printf("generation %u\n", (unsigned)e->generation);
	for (uint32_t j = 0; j < e->members && got < want; j++) {
		int n;
		if (j == e->member)
			continue;
		while (got < want && (n = bhshm_consume(e, j, msg, BHSHM_MAX_PAYLOAD)) >= 0) {
			msg[n] = '\0';
			note_latency(e);
			printf("from %s: %s\n", j < u->num_members ? u->members[j] : "?", msg);
			got++;
		}
	}
	fflush(stdout);
	return got;
}

static int recv_messages(struct uio *u, struct bhshm *e, int want, int seconds)
{
	time_t end = time(NULL) + seconds;
	int got = 0;

	irq_on(u);
	got = drain(u, e, want, got);
	while (got < want && time(NULL) < end) {
		struct pollfd p = {u->fd, POLLIN, 0};
		uint32_t count;
		if (poll(&p, 1, 500) > 0 &&
		    read(u->fd, &count, sizeof(count)) == (ssize_t)sizeof(count))
			irq_on(u);
		got = drain(u, e, want, got);
	}
	if (lat.n > 0UL)
		printf("latency n=%lu min=%llu max=%llu sum=%llu ticks\n", lat.n,
		       (unsigned long long)lat.min, (unsigned long long)lat.max,
		       (unsigned long long)lat.sum);
	if (got < want) {
		fprintf(stderr, "bhshm: %d of %d message(s) within %d s\n", got, want, seconds);
		return 1;
	}
	return 0;
}

#define MAX_PINGS 64

/* Waits (up to 2 s) for "pong <i>" from any member; other messages are printed. */
static int wait_pong(struct uio *u, struct bhshm *e, int i)
{
	char want[32];
	char msg[BHSHM_MAX_PAYLOAD + 1];
	time_t end = time(NULL) + 2;

	snprintf(want, sizeof(want), "pong %d", i);
	for (;;) {
		for (uint32_t j = 0; j < e->members; j++) {
			int n;
			if (j == e->member)
				continue;
			while ((n = bhshm_consume(e, j, msg, BHSHM_MAX_PAYLOAD)) >= 0) {
				msg[n] = '\0';
				if (strcmp(msg, want) == 0)
					return 0;
				printf("from %s: %s\n", j < u->num_members ? u->members[j] : "?",
				       msg);
			}
		}
		if (time(NULL) >= end)
			return -1;
		struct pollfd p = {u->fd, POLLIN, 0};
		uint32_t count;
		if (poll(&p, 1, 500) > 0 &&
		    read(u->fd, &count, sizeof(count)) == (ssize_t)sizeof(count))
			irq_on(u);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int ping_peer(struct uio *u, struct bhshm *e, int count)
{
	uint64_t rtt[MAX_PINGS];
	int n = 0;

	if (count < 1 || count > MAX_PINGS) {
		fprintf(stderr, "bhshm: ping count %d is not in 1..%d\n", count, MAX_PINGS);
		return 2;
	}
	irq_on(u);
	for (int i = 0; i < count; i++) {
		char text[32];
		int len = snprintf(text, sizeof(text), "ping %d", i);
		uint64_t t0 = now();
		if (bhshm_publish(e, text, (uint32_t)len) != 0) {
			fprintf(stderr, "bhshm: ping %d not sent\n", i);
			break;
		}
		if (wait_pong(u, e, i) != 0) {
			fprintf(stderr, "bhshm: no pong %d within 2 s\n", i);
			break;
		}
		rtt[n++] = now() - t0;
	}
	if (n > 0) {
		qsort(rtt, (size_t)n, sizeof(rtt[0]), cmp_u64);
		printf("roundtrip n=%d min=%llu med=%llu max=%llu ticks\n", n,
		       (unsigned long long)rtt[0], (unsigned long long)rtt[n / 2],
		       (unsigned long long)rtt[n - 1]);
	}
	fflush(stdout);
	return (n == count) ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *channel = NULL;
	struct uio u;
	struct bhshm e;
	int rc;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		channel = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 ||
	    (strcmp(argv[1], "recv") != 0 && strcmp(argv[1], "send") != 0 &&
	     strcmp(argv[1], "ping") != 0) ||
	    (strcmp(argv[1], "send") == 0 && argc != 3)) {
		fprintf(stderr, "usage: bhshm [-c channel] recv [count] [seconds] | send <text> | "
				"ping [count]\n");
		return 2;
	}
	if (open_channel(channel, &u, &e) != 0)
		return 2;
	e.now = now;
	if (strcmp(argv[1], "send") == 0) {
		rc = bhshm_publish(&e, argv[2], (uint32_t)strlen(argv[2]));
		/* Leaving closes the lane: first let the peers take the message (up to 2 s). */
		for (int i = 0; rc == 0 && i < 200 && !bhshm_delivered(&e); i++)
			usleep(10000);
		if (rc == 0)
			printf("sent to %u member(s)%s\n", (unsigned)e.members - 1U,
			       bhshm_delivered(&e) ? "" : " (not yet consumed)");
		else
			fprintf(stderr, "bhshm: not sent (%d)\n", rc);
		rc = (rc == 0) ? 0 : 1;
	} else if (strcmp(argv[1], "ping") == 0) {
		rc = ping_peer(&u, &e, argc > 2 ? atoi(argv[2]) : 10);
	} else {
		rc = recv_messages(&u, &e, argc > 2 ? atoi(argv[2]) : 1,
				   argc > 3 ? atoi(argv[3]) : 10);
	}
	bhshm_close(&e);
	return rc;
}
