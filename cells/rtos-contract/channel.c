/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rtos-contract's shared-memory channels. Output (one line each):
 *   shm <channel>: member <i> of <n> (<access>), doorbell irq <irq>
 *   shm <channel>: from <peer>: <message>        a message received
 *   shm <channel>: generation <g>                 a member stopped or restarted
 *   shm <channel>: full                           a peer did not consume (once per episode)
 *   shm <channel>: latency n=<n> min=<t> max=<t> sum=<t> ticks   on "latency"
 *   shm <channel>: ring n=<n> min=<i> med=<i> max=<i> instructions   on "ringcost"
 * Commands (typed lines): "send <text>" publishes text in every writable
 * channel; "reboot" restarts this cell (SBI SRST cold reboot); "latency"
 * prints how long the received messages took, publisher's stamp to the
 * receiver's handler, in 10 MHz `time` ticks; "ringcost" rings the first
 * peer RING_SAMPLES times and prints what one ring costs in `instret`
 * (bhshm_ring's store and its exit; under QEMU -icount that is every
 * instruction the machine ran meanwhile, so the median is the figure).
 * A received "ping <text>" is answered at once with "pong <text>" and not
 * printed: a peer's round trip (bhshm ping) then measures the channel, not
 * this cell's console.
 */
#include "channel.h"

#include "bhshm.h"
#include "csr.h"
#include "fdt.h"
#include "print.h"
#include "rtos_contract.h"
#include "sbi.h"

#define MAX_CHANNELS 4U
#define NAME_MAX     32U
#define RING_SAMPLES 64U

struct channel {
	struct bhshm e;
	char name[NAME_MAX];
	char members[BHSHM_MAX_MEMBERS][NAME_MAX];
	unsigned int irq;
	unsigned int full;
	/* latency of the messages received: receiver's time - publisher's stamp, in time ticks */
	unsigned long lat_n, lat_min, lat_max, lat_sum;
};

/* One bulkhead,channel node as the walk finds it. */
struct found {
	int is_channel;
	unsigned long reg[4]; /* region base, size, doorbell slot base, size */
	unsigned int reg_ok;
	unsigned int irq;
	unsigned int writable;
	char name[NAME_MAX];
	char members[BHSHM_MAX_MEMBERS][NAME_MAX];
	unsigned int num_members;
};

static struct channel channels[MAX_CHANNELS];
static unsigned int num_channels;
static struct found cur;

static void copy(char *dst, const char *src, unsigned long n)
{
	unsigned long i = 0;

	while ((i + 1UL < n) && (src[i] != '\0')) {
		dst[i] = src[i];
		i++;
	}
	dst[i] = '\0';
}

static int begin_node(void *ctx, unsigned int depth, const char *name)
{
	(void)ctx;
	(void)name;
	if (depth == 3U) { /* /soc/<node> */
		unsigned char *p = (unsigned char *)&cur;
		for (unsigned long i = 0; i < sizeof(cur); i++)
			p[i] = 0;
	}
	return 0;
}

static void strings(const unsigned char *v, unsigned long len)
{
	unsigned long at = 0;

	while ((at < len) && (cur.num_members < BHSHM_MAX_MEMBERS)) {
		fdt_copy_str(cur.members[cur.num_members], NAME_MAX, v + at, len - at);
		while ((at < len) && (v[at] != 0U))
			at++;
		at++;
		cur.num_members++;
	}
}

static int prop(void *ctx, unsigned int depth, const char *name, const unsigned char *v,
		unsigned long len)
{
	(void)ctx;
	if (depth != 3U)
		return 0;
	if (fdt_str_eq(name, "compatible")) {
		cur.is_channel = fdt_list_has(v, len, "bulkhead,channel");
	} else if (fdt_str_eq(name, "reg") &&
		   (len == 32UL)) { /* /soc: #address-cells = #size-cells = 2 */
		for (unsigned int i = 0; i < 4U; i++)
			cur.reg[i] = fdt_be64(v + 8U * i);
		cur.reg_ok = 1U;
	} else if (fdt_str_eq(name, "interrupts") && (len == 4UL)) {
		cur.irq = fdt_be32(v);
	} else if (fdt_str_eq(name, "bulkhead,access")) {
		cur.writable = (len == 3UL) && (v[0] == 'r') && (v[1] == 'w');
	} else if (fdt_str_eq(name, "bulkhead,channel")) {
		fdt_copy_str(cur.name, NAME_MAX, v, len);
	} else if (fdt_str_eq(name, "bulkhead,members")) {
		strings(v, len);
	}
	return 0;
}

static void say(const struct channel *c, const char *what, const char *text)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_str(&pb, "shm ");
	pb_str(&pb, c->name);
	pb_str(&pb, ": ");
	pb_str(&pb, what);
	pb_str(&pb, text);
	pb_char(&pb, '\0');
	rtos_print_line(pb.buf);
}

static uint64_t now(void)
{
	return rdtime();
}

static void note_latency(struct channel *c)
{
	unsigned long t = rdtime();
	unsigned long d = (c->e.stamp != 0U && t >= c->e.stamp) ? t - c->e.stamp : 0UL;

	if (c->e.stamp == 0U)
		return;
	c->lat_min = (c->lat_n == 0UL || d < c->lat_min) ? d : c->lat_min;
	c->lat_max = (d > c->lat_max) ? d : c->lat_max;
	c->lat_sum += d;
	c->lat_n++;
}

/* "shm <channel>: latency n=<n> min=<t> max=<t> sum=<t> ticks" (10 MHz `time`). */
static void print_latency(const struct channel *c)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_str(&pb, "n=");
	pb_udec(&pb, c->lat_n);
	pb_str(&pb, " min=");
	pb_udec(&pb, c->lat_min);
	pb_str(&pb, " max=");
	pb_udec(&pb, c->lat_max);
	pb_str(&pb, " sum=");
	pb_udec(&pb, c->lat_sum);
	pb_str(&pb, " ticks");
	pb_char(&pb, '\0');
	say(c, "latency ", pb.buf);
}

static unsigned long ring_once(struct channel *c, uint32_t peer)
{
	unsigned long t0 = rdinstret();

	bhshm_ring(&c->e, peer);
	return rdinstret() - t0;
}

/* "shm <channel>: ring n=<n> min=<i> med=<i> max=<i> instructions": a ring's
 * cost minus that of two back-to-back rdinstret (the baseline). */
static void print_ring_cost(struct channel *c)
{
	unsigned long d[RING_SAMPLES];
	unsigned long t0 = rdinstret();
	unsigned long base = rdinstret() - t0;
	uint32_t peer = (c->e.member == 0U) ? 1U : 0U;
	struct pbuf pb;

	for (unsigned int i = 0; i < RING_SAMPLES; i++)
		d[i] = ring_once(c, peer) - base;
	for (unsigned int i = 1; i < RING_SAMPLES; i++) { /* insertion sort: 64 samples */
		unsigned long x = d[i];
		unsigned int j = i;
		for (; (j > 0U) && (d[j - 1U] > x); j--)
			d[j] = d[j - 1U];
		d[j] = x;
	}
	pb_init(&pb);
	pb_str(&pb, "n=");
	pb_udec(&pb, RING_SAMPLES);
	pb_str(&pb, " min=");
	pb_udec(&pb, d[0]);
	pb_str(&pb, " med=");
	pb_udec(&pb, d[RING_SAMPLES / 2U]);
	pb_str(&pb, " max=");
	pb_udec(&pb, d[RING_SAMPLES - 1U]);
	pb_str(&pb, " instructions");
	pb_char(&pb, '\0');
	say(c, "ring ", pb.buf);
}

static void open_found(void)
{
	struct channel *c = &channels[num_channels];
	struct pbuf pb;

	if (bhshm_open(&c->e, (volatile void *)cur.reg[0], cur.reg[1], (volatile void *)cur.reg[2],
		       cur.writable) != 0) {
		rtos_print_line("shm: a channel's doorbell slot or size is not usable");
		return;
	}
	copy(c->name, cur.name, NAME_MAX);
	for (unsigned int i = 0; i < cur.num_members; i++)
		copy(c->members[i], cur.members[i], NAME_MAX);
	c->irq = cur.irq;
	c->e.now = now;
	rtos_plic_enable(c->irq);
	num_channels++;
	pb_init(&pb);
	pb_str(&pb, "member ");
	pb_udec(&pb, c->e.member);
	pb_str(&pb, " of ");
	pb_udec(&pb, c->e.members);
	pb_str(&pb, c->e.writable ? " (rw), doorbell irq " : " (r), doorbell irq ");
	pb_udec(&pb, c->irq);
	pb_char(&pb, '\0');
	say(c, pb.buf, "");
}

static int end_node(void *ctx, unsigned int depth)
{
	(void)ctx;
	if ((depth == 3U) && cur.is_channel && cur.reg_ok && (num_channels < MAX_CHANNELS))
		open_found();
	return 0;
}

static int starts_with(const char *line, unsigned long len, const char *word)
{
	unsigned long i = 0;

	for (; word[i] != '\0'; i++) {
		if ((i >= len) || (line[i] != word[i]))
			return 0;
	}
	return 1;
}

static void drain(struct channel *c)
{
	char msg[BHSHM_MAX_PAYLOAD + 1U];
	struct pbuf pb;

	if (bhshm_generation_changed(&c->e)) {
		pb_init(&pb);
		pb_udec(&pb, c->e.generation);
		pb_char(&pb, '\0');
		say(c, "generation ", pb.buf);
	}
	for (unsigned int j = 0; j < c->e.members; j++) {
		int n;
		if (j == c->e.member)
			continue;
		while ((n = bhshm_consume(&c->e, j, msg, BHSHM_MAX_PAYLOAD)) >= 0) {
			msg[n] = '\0';
			note_latency(c);
			if (starts_with(msg, (unsigned long)n, "ping ")) {
				msg[1] = 'o';
				(void)bhshm_publish(&c->e, msg, (uint32_t)n);
				continue;
			}
			pb_init(&pb);
			pb_str(&pb, "from ");
			pb_str(&pb, c->members[j]);
			pb_str(&pb, ": ");
			pb_char(&pb, '\0');
			say(c, pb.buf, msg);
		}
	}
}

static void on_irq(unsigned int src)
{
	for (unsigned int i = 0; i < num_channels; i++) {
		if (channels[i].irq == src)
			drain(&channels[i]);
	}
}

static void publish_all(const char *text, unsigned long len)
{
	for (unsigned int i = 0; i < num_channels; i++) {
		struct channel *c = &channels[i];
		int r = bhshm_publish(&c->e, text, (uint32_t)len);
		if ((r == BHSHM_FULL) && !c->full)
			say(c, "full", "");
		c->full = (r == BHSHM_FULL);
	}
}

static int on_line(const char *line, unsigned long len)
{
	if ((len == 6UL) && starts_with(line, len, "reboot")) {
		rtos_print_line("shm: reboot");
		(void)sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, SBI_SRST_TYPE_COLD_REBOOT,
				SBI_SRST_REASON_NONE, 0, 0, 0, 0);
		return 1;
	}
	if ((len == 7UL) && starts_with(line, len, "latency")) {
		for (unsigned int i = 0; i < num_channels; i++)
			print_latency(&channels[i]);
		return 1;
	}
	if ((len == 8UL) && starts_with(line, len, "ringcost")) {
		for (unsigned int i = 0; i < num_channels; i++) {
			if (channels[i].e.members > 1U)
				print_ring_cost(&channels[i]);
		}
		return 1;
	}
	if ((len > 5UL) && starts_with(line, len, "send ")) {
		publish_all(line + 5,
			    (len - 5UL > BHSHM_MAX_PAYLOAD) ? BHSHM_MAX_PAYLOAD : len - 5UL);
		return 1;
	}
	return 0;
}

void channels_init(unsigned long dtb)
{
	static const struct fdt_visitor v = {begin_node, end_node, prop};

	if (fdt_walk(dtb, &v, 0) != 0)
		return; /* no readable DTB: RT-Thread's contract alone */
	if (num_channels > 0U)
		rtos_set_hooks(on_line, on_irq);
}

void channels_second(unsigned long seconds)
{
	struct pbuf pb;

	if (num_channels == 0U)
		return;
	pb_init(&pb);
	pb_str(&pb, "sample ");
	pb_udec(&pb, seconds);
	publish_all(pb.buf, pb.len);
}
