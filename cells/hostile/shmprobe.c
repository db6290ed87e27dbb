/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shmprobe: the shared-memory channels from the outside and from a
 * read-only member (configs/hostile-shmem.dts, docs/shmem.md).
 *
 * The prober is member 1 of channel 'feed' (access "r"; left writes it) and
 * no member of channel 'samples' (left and right). Cursor-driven like
 * memprobe: one point per boot, a fault restarts the cell at the next one.
 *
 * Output:  shm-point <n> <addr> <kind> <what>     before each access
 *          shm-ok <n> <addr> <kind> value <v>      the access completed
 *          shm-storm rings <n>                      after the ring storm
 *          shm-summary: points <N> completed <C> boots <B>
 */
#include "csr.h"
#include "hostile.h"

/* configs/hostile-shmem.dts */
#define FEED_GUEST    0x110000000UL /* own read-only view of 'feed' */
#define SAMPLES_GUEST 0x31000000UL  /* where left and right see 'samples' */
#define SAMPLES_HOST  0xa0000000UL  /* its host address */
#define DOORBELL      0x130000000UL /* own doorbell page: slot 0 = 'feed' */
#define STORM_RINGS   1000UL

/* bulkhead/abi.h: slot registers */
#define RING	   (DOORBELL + BH_DOORBELL_RING)
#define GENERATION (DOORBELL + BH_DOORBELL_GENERATION)

struct point {
	unsigned long addr;
	unsigned int kind;
	unsigned long value; /* stored by store kinds */
	const char *what;
};

static const struct point points[] = {
	{FEED_GUEST, LW, 0, "feed-load"},		       /* allowed: left's lane magic */
	{FEED_GUEST + 0x40UL, SW, 0x5a5a5a5aUL, "feed-store"}, /* fault: read-only member */
	{SAMPLES_GUEST, LW, 0, "samples-guest-load"},	       /* fault: not a member */
	{SAMPLES_GUEST, SW, 1, "samples-guest-store"},	       /* fault */
	{SAMPLES_HOST, LD, 0, "samples-host-load"},	       /* fault: no alias of host RAM */
	{RING, SW, 1, "ring-self"},			       /* refused: its own index */
	{RING, SW, 7, "ring-no-member"},		       /* refused */
	{DOORBELL + 0x10UL, SW, 0, "ring-no-slot"},	       /* refused: it has one channel */
	{GENERATION, SW, 0, "write-generation"},	       /* refused: read-only register */
	{GENERATION, LW, 0, "read-generation"},		       /* allowed */
	{RING, LW, 0, "read-own-index"},		       /* allowed: 1 */
	{RING, LB, 0, "ring-byte"},			       /* fault: only 32-bit accesses */
};

#define NPOINTS (sizeof(points) / sizeof(points[0]))

void shmprobe_run(struct persist *p)
{
	unsigned long n;

	csr_write(sie, 0);
	for (n = p->cursor; n < NPOINTS; n++) {
		const struct point *pt = &points[n];
		unsigned long v;

		pace();
		persist_cursor(p, n + 1UL);
		say("shm-point %u %x %s %s", n, pt->addr, kind_name[pt->kind], pt->what);
		v = access(pt->kind, pt->addr, pt->value);
		p->count[0]++;
		say("shm-ok %u %x %s value %x", n, pt->addr, kind_name[pt->kind], v);
	}
	if (p->cursor == NPOINTS) {
		/* A legitimate ring of left (member 0), as fast as a hart can:
		 * left must take at most one doorbell interrupt per acknowledge. */
		for (n = 0; n < STORM_RINGS; n++)
			(void)access(SW, RING, 0);
		say("shm-storm rings %u", STORM_RINGS);
		persist_cursor(p, NPOINTS + 1UL);
		say("shm-summary: points %u completed %u boots %u", (unsigned long)NPOINTS,
		    p->count[0], p->boots);
	}
}
