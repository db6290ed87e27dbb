/* SPDX-License-Identifier: Apache-2.0 */
/*
 * irqtest: device interrupts through the PLIC, counted in exits.
 *
 * Boot: reads its DTB (virtio-mmio nodes, /memory, bootargs), finds the
 * virtio entropy device among the virtio-mmio slots it was given (in a
 * cell only its passed-through one; natively all eight of QEMU virt,
 * told apart by their MagicValue / DeviceID registers), sets up one
 * virtqueue with its rings in identity-mapped RAM (bootargs "dma=<addr>",
 * default 0xa0000000), and enables the device's source in the PLIC
 * S-mode context of its hart (2h+1): priority 1, enable bit, threshold 0.
 *
 * Then ROUNDS rounds (bootargs "rounds=", default 5) of COUNT requests
 * ("count=", default 200), PAUSE ms apart ("pause=", default 200).  Each
 * request is one buffer posted to the device; the guest waits (spinning,
 * no exit) until its trap handler has taken the device's interrupt:
 * claim, InterruptStatus -> InterruptACK, used ring, complete (one claim
 * per interrupt, like RT-Thread's handler).  Before and after each round
 * it reads its own exit counters through the Bulkhead SBI extension and
 * prints
 *   irqtest: <N> interrupts, <E> exits, <E/N> exits per interrupt
 *     (device_irq +<d>, mmio_vplic +<m>, irq_external +<x>)
 *   irqtest: round <r>: spurious <s>, <t> us per interrupt
 * where E counts every exit of the hart between the two readings except
 * the reading call itself (lines stay below the hypervisor's 160-byte
 * console line).  Natively (OpenSBI) the extension is absent:
 *   irqtest: <N> interrupts, exits NOT_SUPPORTED (native: no hypervisor)
 *
 * In a cell it finally checks that foreign sources cannot be enabled in
 * its own context and that disabling its source with a write that also
 * names a foreign source does disable it, then prints
 * "irqtest: done: <R> rounds, <I> interrupts, <M> missing".
 *
 * In an interrupt-controller = "aia" cell (its DTB has an APLIC, no PLIC)
 * the same rounds go through the APLIC in MSI mode and its IMSIC interrupt
 * file instead (aia.c): claimed through a CSR, ended by the device's ACK
 * alone; the PLIC self-checks do not apply there.
 */
#include "csr.h"
#include "irqtest.h"
#include "trap.h"

#define DMA_DEFAULT 0xa0000000UL
#define DMA_SIZE    0x3000UL
#define WAIT_TICKS  TIMEBASE_HZ /* 1 s per interrupt at most */
#define PLIC_WORDS  3U		/* QEMU virt: sources 1..95 */

static unsigned long hart; /* a0: the virtual hart in a cell */
static unsigned long ctx;  /* its PLIC S-mode context */
static struct vdev dev;
static unsigned int dev_irq;
static int in_cell; /* the Bulkhead SBI extension answered */
static int aia;	    /* an APLIC and an IMSIC file instead of a PLIC (aia.c) */

static volatile unsigned long irqs;	/* claims of dev_irq */
static volatile unsigned long spurious; /* claims of 0 */
static volatile unsigned long foreign;	/* claims of any other source */
static volatile unsigned long reaped;	/* used-ring entries */
static volatile unsigned int last_foreign;

void guest_main(unsigned long hartid, unsigned long dtb);

int time_after(unsigned long a, unsigned long b)
{
	return (long)(a - b) > 0;
}

void halt(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		__asm__ volatile("wfi");
}

struct sbiret bh_counter(unsigned long counter)
{
	return sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_COUNTER, hart, counter, 0, 0, 0, 0);
}

struct sbiret bh_exits(void)
{
	return sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_EXITS, hart, 0, 0, 0, 0, 0);
}

/* ------------------------------------------------------------- interrupts */

static void external_irq(void)
{
	/* PLIC spec ch. 8 "Interrupt Claim Process": the read returns the
	 * highest-priority pending source of this context (0 if none) and
	 * clears its pending bit.  Direct mode: no exit; trap mode: one.
	 * AIA: the IMSIC file's stopei, never an exit. */
	unsigned int src = aia ? aia_claim() : mmio_r32(PLIC_CLAIM(ctx));

	if (src == 0U) {
		spurious++;
		return;
	}
	if (src == dev_irq) {
		/* The device's line drops once its InterruptStatus is
		 * acknowledged (virtio spec 4.2.2, InterruptACK). */
		(void)virtio_ack(&dev);
		reaped += virtio_reap(&dev);
		irqs++;
	} else {
		foreign++;
		last_foreign = src;
	}
	/* ch. 9 "Interrupt Completion": write the claimed id back.
	 * One exit in both modes.  An MSI needs no completion. */
	if (!aia)
		mmio_w32(PLIC_CLAIM(ctx), src);
}

void trap_handler(struct trap_frame *f)
{
	struct pbuf pb;

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (SCAUSE_CODE(f->scause) == IRQ_S_EXT)
			external_irq();
		else
			csr_clear(sie, 1UL << (SCAUSE_CODE(f->scause) & 63UL));
		return;
	}
	pb_init(&pb);
	pb_str(&pb, "irqtest: exception scause ");
	pb_hex(&pb, f->scause);
	pb_str(&pb, " sepc ");
	pb_hex(&pb, f->sepc);
	pb_str(&pb, " stval ");
	pb_hex(&pb, f->stval);
	out(&pb);
	halt();
}

/* ---------------------------------------------------------------- setup */

static const char *device_name(unsigned int id)
{
	switch (id) {
	case 0: return "none";
	case 1: return "network";
	case 2: return "block";
	case 3: return "console";
	case 4: return "entropy";
	default: return "other";
	}
}

/* The first slot of the DTB holding an entropy device, or -1. */
static int find_device(const struct dt_info *dt)
{
	unsigned int i, empty = 0;
	int found = -1;
	struct pbuf pb;

	for (i = 0; i < dt->ndev; i++) {
		unsigned long b = dt->dev_base[i];
		unsigned int magic = virtio_r32(b, 0x000);
		unsigned int id = virtio_r32(b, 0x008);

		if (magic == VIRTIO_MAGIC && id == 0U) {
			empty++;
			continue;
		}
		pb_init(&pb);
		pb_str(&pb, "irqtest: virtio-mmio ");
		pb_hex(&pb, b);
		pb_str(&pb, " irq ");
		pb_udec(&pb, dt->dev_irq[i]);
		pb_str(&pb, ": magic ");
		pb_hex(&pb, magic);
		pb_str(&pb, " version ");
		pb_udec(&pb, virtio_r32(b, 0x004));
		pb_str(&pb, " device ");
		pb_udec(&pb, id);
		pb_str(&pb, " (");
		pb_str(&pb, device_name(id));
		pb_char(&pb, ')');
		out(&pb);
		if (found < 0 && magic == VIRTIO_MAGIC && id == VIRTIO_ID_ENTROPY)
			found = (int)i;
	}
	pb_init(&pb);
	pb_str(&pb, "irqtest: ");
	pb_udec(&pb, dt->ndev);
	pb_str(&pb, " virtio-mmio slot(s) in the DTB, ");
	pb_udec(&pb, empty);
	pb_str(&pb, " empty");
	out(&pb);
	return found;
}

static int in_ram(const struct dt_info *dt, unsigned long base, unsigned long size)
{
	unsigned int i;

	for (i = 0; i < dt->nmem; i++) {
		if (base >= dt->mem_base[i] && base - dt->mem_base[i] + size <= dt->mem_size[i])
			return 1;
	}
	return 0;
}

static void plic_enable_source(unsigned int src, int on)
{
	unsigned long a = PLIC_ENABLE(ctx, src / 32U);
	unsigned int bit = 1U << (src % 32U);

	mmio_w32(a, on ? (mmio_r32(a) | bit) : (mmio_r32(a) & ~bit));
}

/* ---------------------------------------------------------------- rounds */

struct snap {
	long err;
	unsigned long exits, dev_irq, vplic, ext;
};

static void snap_before(struct snap *s)
{
	struct sbiret r;

	/* The counters first, the total last: exits between the two
	 * get_exits readings are then the round's plus the second call. */
	s->dev_irq = (unsigned long)bh_counter(BH_STAT_DEVICE_IRQ).value;
	s->vplic = (unsigned long)bh_counter(BH_STAT_MMIO_VPLIC).value;
	s->ext = (unsigned long)bh_counter(BH_STAT_IRQ_EXTERNAL).value;
	r = bh_exits();
	s->err = r.error;
	s->exits = (unsigned long)r.value;
}

static void snap_after(struct snap *s)
{
	struct sbiret r = bh_exits();

	s->err = r.error;
	s->exits = (unsigned long)r.value;
	s->dev_irq = (unsigned long)bh_counter(BH_STAT_DEVICE_IRQ).value;
	s->vplic = (unsigned long)bh_counter(BH_STAT_MMIO_VPLIC).value;
	s->ext = (unsigned long)bh_counter(BH_STAT_IRQ_EXTERNAL).value;
}

/* "<a/b>" with two decimals, rounded. */
static void pb_ratio(struct pbuf *pb, unsigned long a, unsigned long b)
{
	unsigned long x = b != 0UL ? (a * 100UL + b / 2UL) / b : 0UL;

	pb_udec(pb, x / 100UL);
	pb_char(pb, '.');
	pb_char(pb, (char)('0' + (x / 10UL) % 10UL));
	pb_char(pb, (char)('0' + x % 10UL));
}

/* Posts one request and waits for its interrupt; 0 on timeout. */
static int one_interrupt(void)
{
	unsigned long want = irqs + 1UL;
	unsigned long end;

	virtio_rng_post(&dev);
	end = rdtime() + WAIT_TICKS;
	while (irqs < want) {
		if (time_after(rdtime(), end))
			return 0;
	}
	return 1;
}

static void timeout_report(unsigned long round, unsigned long k)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_str(&pb, "irqtest: no interrupt within 1 s for request ");
	pb_udec(&pb, k + 1UL);
	pb_str(&pb, " of round ");
	pb_udec(&pb, round);
	pb_str(&pb, ": InterruptStatus ");
	pb_hex(&pb, virtio_r32(dev.base, 0x060));
	pb_str(&pb, " used idx ");
	pb_udec(&pb, virtio_used_idx(&dev));
	pb_str(&pb, " posted ");
	pb_udec(&pb, dev.avail_idx);
	if (aia) {
		pb_str(&pb, " stopei ");
		pb_hex(&pb, aia_top());
	} else {
		pb_str(&pb, " PLIC pending word ");
		pb_hex(&pb, mmio_r32(PLIC_PENDING(dev_irq / 32U)));
	}
	pb_str(&pb, " sip ");
	pb_hex(&pb, csr_read(sip));
	out(&pb);
}

/* One round; returns the interrupts taken. */
static unsigned long round_run(unsigned long round, unsigned long count)
{
	struct snap b, a;
	unsigned long i0, sp0, t0, t1, k, got, ns;
	struct pbuf pb;

	snap_before(&b);
	i0 = irqs;
	sp0 = spurious;
	t0 = rdtime();
	for (k = 0; k < count; k++) {
		if (!one_interrupt()) {
			timeout_report(round, k);
			break;
		}
	}
	t1 = rdtime();
	snap_after(&a);
	got = irqs - i0;
	/* `time` ticks at TIMEBASE_HZ = 10 MHz: 100 ns each */
	ns = got != 0UL ? (t1 - t0) * (1000000000UL / TIMEBASE_HZ) / got : 0UL;

	pb_init(&pb);
	pb_str(&pb, "irqtest: ");
	pb_udec(&pb, got);
	pb_str(&pb, " interrupts, ");
	if (b.err == SBI_SUCCESS && a.err == SBI_SUCCESS) {
		unsigned long exits = a.exits - b.exits - 1UL;

		pb_udec(&pb, exits);
		pb_str(&pb, " exits, ");
		pb_ratio(&pb, exits, got);
		pb_str(&pb, " exits per interrupt (device_irq +");
		pb_udec(&pb, a.dev_irq - b.dev_irq);
		pb_str(&pb, ", mmio_vplic +");
		pb_udec(&pb, a.vplic - b.vplic);
		pb_str(&pb, ", irq_external +");
		pb_udec(&pb, a.ext - b.ext);
		pb_char(&pb, ')');
	} else {
		pb_str(&pb, "exits ");
		pb_sbierr(&pb, a.err);
		pb_str(&pb, " (native: no hypervisor)");
	}
	out(&pb);
	pb_init(&pb);
	pb_str(&pb, "irqtest: round ");
	pb_udec(&pb, round);
	pb_str(&pb, ": spurious ");
	pb_udec(&pb, spurious - sp0);
	pb_str(&pb, ", ");
	pb_ratio(&pb, ns, 1000UL);
	pb_str(&pb, " us per interrupt");
	out(&pb);
	return got;
}

static void pause_ms(unsigned long ms)
{
	unsigned long end = rdtime() + ms * (TIMEBASE_HZ / 1000UL);

	while (!time_after(rdtime(), end))
		;
}

/* ------------------------------------------------ isolation self-checks */

/* The cell's own sources (its DTB's interrupts), and one it does not own
 * in the same enable word as the device: the console UART's 10 unless the
 * cell has an emulated UART, else the lowest other one. */
static const struct dt_info *dti;

static int own_source(unsigned int s)
{
	return s < 32U * FDT_IRQ_WORDS && ((dti->own_irqs[s / 32U] >> (s % 32U)) & 1U) != 0U;
}

static unsigned int foreign_source(void)
{
	unsigned int s;

	if (!own_source(10U) && dev_irq / 32U == 0U)
		return 10U;
	for (s = (dev_irq / 32U) * 32U; s < (dev_irq / 32U) * 32U + 32U; s++) {
		if (s != 0U && !own_source(s))
			return s;
	}
	return 0U;
}

/*
 * A cell may enable only its own sources: writing every enable bit of
 * its context reads back its own bits only (vPLIC; in direct mode the
 * same value is mirrored into the physical context), and a foreign
 * source's priority reads 0.
 */
static int check_foreign_enable(void)
{
	unsigned int w, got[PLIC_WORDS], keep[PLIC_WORDS], prio, fs = foreign_source();
	int ok = 1;
	struct pbuf pb;

	for (w = 0; w < PLIC_WORDS; w++) {
		keep[w] = mmio_r32(PLIC_ENABLE(ctx, w));
		mmio_w32(PLIC_ENABLE(ctx, w), 0xffffffffU);
		got[w] = mmio_r32(PLIC_ENABLE(ctx, w));
		mmio_w32(PLIC_ENABLE(ctx, w), keep[w]);
		if (got[w] != (w < FDT_IRQ_WORDS ? dti->own_irqs[w] & ~1U : 0U))
			ok = 0;
	}
	mmio_w32(PLIC_PRIORITY(fs), PLIC_MAX_PRIORITY);
	prio = mmio_r32(PLIC_PRIORITY(fs));
	if (prio != 0U)
		ok = 0;

	pb_init(&pb);
	pb_str(&pb, "irqtest: foreign enable: all ones read back");
	for (w = 0; w < PLIC_WORDS; w++) {
		pb_char(&pb, ' ');
		pb_hex(&pb, got[w]);
	}
	pb_str(&pb, " (own ");
	pb_hex(&pb, dti->own_irqs[0]);
	pb_str(&pb, "), priority ");
	pb_udec(&pb, fs);
	pb_str(&pb, " reads ");
	pb_udec(&pb, prio);
	pb_str(&pb, ok ? ": ok" : ": WRONG");
	out(&pb);
	return ok;
}

/*
 * Disabling the source with a write that also names a foreign source
 * (which the vPLIC refuses) must still disable it: a request posted while
 * it is disabled may interrupt only after it is enabled again.
 *
 * QEMU's PLIC (hw/intc/sifive_plic.c, QEMU 10) re-evaluates its interrupt
 * outputs on priority, threshold, claim and complete writes and on source
 * level changes, but not on enable writes: a source that became pending
 * while disabled is not signalled when enabled, natively too.  So after
 * enabling, if nothing came within WAIT_KICK, the guest rewrites its
 * threshold with the same value (a no-op for the PLIC spec) to make QEMU
 * look again.
 */
#define WAIT_KICK (TIMEBASE_HZ / 20UL) /* 50 ms */

static int wait_irq_since(unsigned long i0, unsigned long ticks)
{
	unsigned long end = rdtime() + ticks;

	while (irqs == i0 && !time_after(rdtime(), end))
		;
	return irqs != i0;
}

static int check_disable(void)
{
	unsigned long w = dev_irq / 32U, i0;
	unsigned int keep = mmio_r32(PLIC_ENABLE(ctx, w));
	unsigned int bit = 1U << (dev_irq % 32U);
	unsigned int foreign_bit = 1U << (foreign_source() % 32U);
	unsigned int readback;
	int while_off, on_enable, on_kick = 0, ok;
	struct pbuf pb;

	mmio_w32(PLIC_ENABLE(ctx, w), (keep & ~bit) | foreign_bit);
	readback = mmio_r32(PLIC_ENABLE(ctx, w));
	i0 = irqs;
	virtio_rng_post(&dev);
	while_off = wait_irq_since(i0, WAIT_KICK);
	mmio_w32(PLIC_ENABLE(ctx, w), keep);
	on_enable = while_off || wait_irq_since(i0, WAIT_KICK);
	if (!on_enable) {
		mmio_w32(PLIC_THRESHOLD(ctx), mmio_r32(PLIC_THRESHOLD(ctx)));
		on_kick = wait_irq_since(i0, WAIT_TICKS);
	}
	/* natively the PLIC keeps the foreign bit: nothing isolates there */
	ok = (!in_cell || readback == (keep & ~bit)) && !while_off && (on_enable || on_kick);

	pb_init(&pb);
	pb_str(&pb, "irqtest: disable with a foreign bit: enable reads ");
	pb_hex(&pb, readback);
	pb_str(&pb, while_off ? ", interrupt taken while disabled" : ", none while disabled");
	pb_str(&pb, on_enable ? ", taken when enabled"
		    : on_kick ? ", taken after a threshold rewrite"
			      : ", none once enabled");
	pb_str(&pb, ok ? ": ok" : ": WRONG");
	out(&pb);
	return ok;
}

/* ------------------------------------------------------------------ main */

void guest_main(unsigned long hartid, unsigned long dtb)
{
	static struct dt_info dt;
	unsigned long rounds, count, pause, dma, r, total = 0;
	int slot, rc;
	struct sbiret probe;
	struct pbuf pb;

	hart = hartid;
	ctx = 2UL * hartid + 1UL;
	csr_write(stvec, (unsigned long)trap_entry); /* direct mode */
	out_init();
	rc = dt_scan(dtb, &dt);

	pb_init(&pb);
	pb_str(&pb, "irqtest: boot hart ");
	pb_udec(&pb, hartid);
	pb_str(&pb, ", dtb ");
	pb_hex(&pb, dtb);
	if (rc != 0) {
		pb_str(&pb, " unreadable (");
		pb_dec(&pb, rc);
		pb_char(&pb, ')');
	}
	pb_str(&pb, ", bootargs '");
	pb_str(&pb, dt.bootargs);
	pb_char(&pb, '\'');
	out(&pb);

	probe = bh_exits();
	in_cell = probe.error == SBI_SUCCESS;
	if (dt_arg_word(&dt, "intruder"))
		intruder_main(hartid, &dt);

	pb_init(&pb);
	pb_str(&pb, "irqtest: Bulkhead SBI get_exits: ");
	pb_sbierr(&pb, probe.error);
	pb_str(&pb, in_cell ? " (in a cell)" : " (native: no hypervisor, no exits to count)");
	out(&pb);

	slot = find_device(&dt);
	if (slot < 0) {
		say("irqtest: no virtio entropy device (QEMU: -device virtio-rng-device)");
		halt();
	}
	dev_irq = dt.dev_irq[slot];
	aia = dt.aplic_base != 0UL;
	dma = dt_arg_num(&dt, "dma", DMA_DEFAULT);
	if (!in_ram(&dt, dma, DMA_SIZE)) {
		pb_init(&pb);
		pb_str(&pb, "irqtest: dma area ");
		pb_hex(&pb, dma);
		pb_str(&pb, " is not RAM of this DTB");
		out(&pb);
		halt();
	}
	rc = virtio_rng_init(&dev, dt.dev_base[slot], dma);
	pb_init(&pb);
	pb_str(&pb, "irqtest: device ");
	pb_hex(&pb, dev.base);
	pb_str(&pb, " irq ");
	pb_udec(&pb, dev_irq);
	pb_str(&pb, ": virtio-mmio version ");
	pb_udec(&pb, dev.version);
	pb_str(&pb, dev.version == 1U ? " (legacy)" : " (modern)");
	if (rc != 0) {
		pb_str(&pb, ": ");
		pb_str(&pb, virtio_init_error(rc));
		out(&pb);
		halt();
	}
	pb_str(&pb, ", queue 0 max ");
	pb_udec(&pb, dev.queue_max);
	pb_str(&pb, " size ");
	pb_udec(&pb, dev.num);
	pb_str(&pb, ", rings at ");
	pb_hex(&pb, dma);
	if (aia) {
		pb_str(&pb, ", APLIC ");
		pb_hex(&pb, dt.aplic_base);
		pb_str(&pb, " MSIs to its interrupt file");
	} else {
		pb_str(&pb, ", PLIC context ");
		pb_udec(&pb, ctx);
	}
	out(&pb);

	if (aia) {
		aia_enable_source(dt.aplic_base, dev_irq, hartid);
	} else {
		/* PLIC spec ch. 4 "Interrupt Priorities" (0 = never), ch. 6
		 * "Interrupt Enables", ch. 7 "Priority Thresholds". */
		mmio_w32(PLIC_PRIORITY(dev_irq), 1U);
		plic_enable_source(dev_irq, 1);
		mmio_w32(PLIC_THRESHOLD(ctx), 0U);
	}
	csr_set(sie, SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);

	rounds = dt_arg_num(&dt, "rounds", 5);
	count = dt_arg_num(&dt, "count", 200);
	pause = dt_arg_num(&dt, "pause", 200);
	for (r = 1; r <= rounds; r++) {
		unsigned long got = round_run(r, count);

		total += got;
		if (got != count)
			break;
		if (r < rounds)
			pause_ms(pause);
	}

	dti = &dt;
	if (in_cell && !aia)
		(void)check_foreign_enable();
	if (!aia)
		(void)check_disable();
	if (foreign != 0UL) {
		pb_init(&pb);
		pb_str(&pb, "irqtest: claimed ");
		pb_udec(&pb, foreign);
		pb_str(&pb, " interrupt(s) of other sources, last ");
		pb_udec(&pb, last_foreign);
		out(&pb);
	}
	pb_init(&pb);
	pb_str(&pb, "irqtest: done: ");
	pb_udec(&pb, r > rounds ? rounds : r);
	pb_str(&pb, " rounds, ");
	pb_udec(&pb, total);
	pb_str(&pb, " interrupts, ");
	pb_udec(&pb, rounds * count - total);
	pb_str(&pb, " missing, ");
	pb_udec(&pb, reaped);
	pb_str(&pb, " buffers used");
	out(&pb);
	halt();
}
