/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench: the benchmark guest (bench/bench.mk, tools/bench/).
 *
 * The same image runs in a two-hart cell under Bulkhead and natively on
 * OpenSBI (QEMU virt, -icount shift=0), and prints one machine-readable
 * line per figure, all starting "bench: ":
 *
 *   boot hart=<a0> instret=<i> time=<t>    read at the first C statement
 *   first-line instret=<i> time=<t>        after that line was written
 *   sbi impl=<id> version=<v> bulkhead=<0|1>
 *   verify <what> n=<N> min= med= p99= max= mean=
 *   scope peer=<idle|spinning> deadline=<ticks> insn=<instret delta over a wfi>
 *   path <op> n=<N> min= med= p99= max= mean=   instret deltas, raw
 *   exits <op> n=<N> total=<exits> cause=<exits of the op's own cause>
 *   lat <sstc|sbi> <wfi|spin> n=<N> ticks_min= ticks_med= ticks_p99=
 *       ticks_max= [insn_min= insn_med= insn_p99= insn_max=]
 *   done
 *
 * Method.  `path` samples are `rdinstret; <operation>; rdinstret` written
 * as one asm block, so the delta is the operation plus a constant that
 * `verify baseline` (two back-to-back rdinstret) measures; `verify nops100`
 * checks that 100 nops add exactly 100.  Under QEMU with -icount,
 * `instret` is the machine's instruction count (every hart, every
 * privilege mode): the hypervisor's and OpenSBI's instructions on the trap
 * path are counted, which is the path length wanted here, and so would be
 * another hart's if it ran during the window; the peer hart therefore
 * sleeps in wfi while the boot hart measures, and `scope` shows the effect
 * of a spinning peer.  `exits` lines come from Bulkhead's own SBI
 * extension (the guest reads its exit counters), absent natively.
 *
 * Each path's samples start with a call to its own marker function
 * (mark_<op>): an instruction trace of the run (tools/bench/modes.py)
 * attributes the traps that follow to the path by the marker's symbol and
 * splits their instructions by privilege mode.
 *
 * `lat` samples program a deadline 2..12 us ahead (stimecmp directly, or
 * SBI TIME set_timer), then wait in wfi (sstatus.SIE = 0, so the wake-up
 * is followed by csrsi sstatus.SIE) or spinning with SIE = 1;
 * lat_vector (vectors.S) records instret and time at the trap.  ticks =
 * time at entry - deadline (10 MHz); insn = instret at entry - instret
 * just before the wfi (wfi mode only: while spinning the delta is mostly
 * the spin).
 */
#include "csr.h"
#include "layout.h"
#include "print.h"
#include "sbi.h"
#include "trap.h"
#include "uart.h"

#define PLIC_BASE	   0x0c000000UL
#define PLIC_PRIORITY(src) (PLIC_BASE + 4UL * (src))

#define N_PATH	   1000UL
#define N_UART	   480UL /* 3 full lines of the hypervisor's 160-byte console */
#define N_LAT	   1000UL
#define N_VERIFY   200UL
#define FAR_FUTURE (10000000UL * 100UL) /* 100 s of `time` */
#define WAIT_LIMIT 10000000UL		/* 1 s bound on every wait */

/* Sample buffers live past the image (not in .bss: clearing them would
 * add instructions before the boot figure is taken). */
extern char __image_end[];
static unsigned long *samples_a;
static unsigned long *samples_b;

struct lat_rec {
	unsigned long saved_t1;
	volatile unsigned long insn;
	volatile unsigned long time;
	volatile unsigned long done;
};
static struct lat_rec lat_rec;

void lat_vector(void);
void guest_main(unsigned long hartid, unsigned long dtb);
void secondary_main(unsigned long hartid, unsigned long opaque);
void secondary_entry(void); /* cells/common/secondary.S */

static unsigned long boot_hart, peer_hart;
static int in_cell; /* Bulkhead's SBI extension answered */

/* Peer protocol: the boot hart sets `cmd`, bumps `cmd_seq` and sends an
 * IPI; the peer runs the command, sets `ack_seq` and answers with an IPI.
 * IPIs only wake the other side: the sequence numbers say what happened,
 * so a late or extra IPI is harmless. */
enum { CMD_ACK = 1, CMD_SPIN = 2 };
static volatile unsigned long cmd, cmd_seq, ack_seq;
static volatile unsigned long spin_flag;
static volatile unsigned long ipis[GUEST_NSLOTS];
static volatile unsigned long peer_started;

/* ------------------------------------------------------------ primitives */

static inline unsigned long rdtime_v(void)
{
	unsigned long v;

	__asm__ volatile("rdtime %0" : "=r"(v)::"memory");
	return v;
}

static inline unsigned long m_baseline(void)
{
	unsigned long t0, t1;

	__asm__ volatile("rdinstret %0\n\trdinstret %1" : "=&r"(t0), "=&r"(t1)::"memory");
	return t1 - t0;
}

static inline unsigned long m_nops100(void)
{
	unsigned long t0, t1;

	__asm__ volatile("rdinstret %0\n\t"
			 ".rept 100\n\tnop\n\t.endr\n\t"
			 "rdinstret %1"
			 : "=&r"(t0), "=&r"(t1)::"memory");
	return t1 - t0;
}

/* rdinstret; ecall; rdinstret (SBI v2.0 ch. 3: only a0/a1 change). */
static inline unsigned long m_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
				    unsigned long arg1)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = eid;
	unsigned long t0, t1;

	__asm__ volatile("rdinstret %0\n\tecall\n\trdinstret %1"
			 : "=&r"(t0), "=&r"(t1), "+r"(a0), "+r"(a1)
			 : "r"(a6), "r"(a7)
			 : "memory");
	return t1 - t0;
}

static inline unsigned long m_load32(unsigned long addr)
{
	unsigned long t0, t1, v;

	__asm__ volatile("rdinstret %0\n\tlw %2, 0(%3)\n\trdinstret %1"
			 : "=&r"(t0), "=&r"(t1), "=&r"(v)
			 : "r"(addr)
			 : "memory");
	(void)v;
	return t1 - t0;
}

static inline unsigned long m_store8(unsigned long addr, unsigned long val)
{
	unsigned long t0, t1;

	__asm__ volatile("rdinstret %0\n\tsb %2, 0(%3)\n\trdinstret %1"
			 : "=&r"(t0), "=&r"(t1)
			 : "r"(val), "r"(addr)
			 : "memory");
	return t1 - t0;
}

static inline unsigned long m_store32(unsigned long addr, unsigned long val)
{
	unsigned long t0, t1;

	__asm__ volatile("rdinstret %0\n\tsw %2, 0(%3)\n\trdinstret %1"
			 : "=&r"(t0), "=&r"(t1)
			 : "r"(val), "r"(addr)
			 : "memory");
	return t1 - t0;
}

/*
 * One marker per path, never inlined; the distinct immediate keeps the
 * compiler from folding the markers into one function (one address).
 */
#define PATH_MARKER(op, n) \
	static void __attribute__((noinline)) mark_##op(void) \
	{ \
		__asm__ volatile("addi zero, zero, %0" ::"i"(n) : "memory"); \
	}
PATH_MARKER(legacy_set_timer, 1)
PATH_MARKER(time_set_timer, 2)
PATH_MARKER(base_get_spec_version, 3)
PATH_MARKER(base_probe_extension, 4)
PATH_MARKER(ipi_send, 5)
PATH_MARKER(plic_read, 6)
PATH_MARKER(plic_write, 7)
PATH_MARKER(uart_thr, 8)

static int time_after(unsigned long a, unsigned long b)
{
	return (long)(a - b) > 0;
}

/* ---------------------------------------------------------------- output */

static void emit(struct pbuf *pb)
{
	pb_str(pb, "\r\n");
	uart_write(pb->buf, pb->len);
}

static void line_start(struct pbuf *pb, const char *what)
{
	pb_init(pb);
	pb_str(pb, "bench: ");
	pb_str(pb, what);
}

static void kv(struct pbuf *pb, const char *key, unsigned long v)
{
	pb_char(pb, ' ');
	pb_str(pb, key);
	pb_char(pb, '=');
	pb_udec(pb, v);
}

static void sort(unsigned long *a, unsigned long n)
{
	static const unsigned long gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
	unsigned long g, i, j, v;

	for (g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		unsigned long gap = gaps[g];

		for (i = gap; i < n; i++) {
			v = a[i];
			for (j = i; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
	}
}

/* " <p>min=.. <p>med=.. <p>p99=.. <p>max=.. [<p>mean=..]" of a[0..n-1] (sorted here). */
static void summary(struct pbuf *pb, const char *prefix, unsigned long *a, unsigned long n,
		    int with_mean)
{
	static const char *const names[] = {"min", "med", "p99", "max"};
	unsigned long idx[4] = {0, n / 2, (n * 99UL) / 100UL, n - 1};
	unsigned long sum = 0, i;

	for (i = 0; i < n; i++)
		sum += a[i];
	sort(a, n);
	for (i = 0; i < 4; i++) {
		pb_char(pb, ' ');
		pb_str(pb, prefix);
		pb_str(pb, names[i]);
		pb_char(pb, '=');
		pb_udec(pb, a[idx[i]]);
	}
	if (with_mean) {
		pb_char(pb, ' ');
		pb_str(pb, prefix);
		pb_str(pb, "mean=");
		pb_udec(pb, sum / n);
		pb_char(pb, '.');
		pb_udec(pb, ((sum % n) * 10UL) / n);
	}
}

static void report_samples(const char *kind, const char *name, unsigned long *a, unsigned long n)
{
	struct pbuf pb;

	line_start(&pb, kind);
	pb_char(&pb, ' ');
	pb_str(&pb, name);
	kv(&pb, "n", n);
	summary(&pb, "", a, n, 1);
	emit(&pb);
}

/* ----------------------------------------------------------- interrupts */

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);
	struct pbuf pb;

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL && code == IRQ_S_SOFT) {
		csr_clear(sip, SIP_SSIP);
		ipis[hart_slot()]++;
		return;
	}
	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		/* Nothing else is enabled here; mask whatever it was. */
		if (code < 64UL)
			csr_clear(sie, 1UL << code);
		return;
	}
	line_start(&pb, "error exception");
	kv(&pb, "slot", hart_slot());
	kv(&pb, "scause", f->scause);
	kv(&pb, "sepc", f->sepc);
	kv(&pb, "stval", f->stval);
	emit(&pb);
	for (;;)
		__asm__ volatile("wfi");
}

/*
 * Sleeps (sstatus.SIE = 0 around the check, so a wake-up is never lost)
 * until *p == want (eq) or *p != want (!eq).  With limit != 0 it gives up
 * after `limit` ticks and returns 0; the deadline is armed in stimecmp so
 * the wfi ends even when every hart sleeps (QEMU -icount sleep=off only
 * advances time to the next timer then).  Leaves sstatus.SIE = 0.
 */
static int wait_for(volatile unsigned long *p, unsigned long want, int eq, unsigned long limit)
{
	unsigned long end = rdtime_v() + limit;
	unsigned long sie_was;
	int ok = 1;

	csr_clear(sstatus, SSTATUS_SIE);
	sie_was = csr_read(sie);
	if (limit != 0UL) {
		csr_write(CSR_STIMECMP, end);
		csr_set(sie, SIE_STIE);
	}
	while ((*p == want) != eq) {
		if (limit != 0UL && time_after(rdtime_v(), end)) {
			ok = 0;
			break;
		}
		__asm__ volatile("wfi");
		csr_set(sstatus, SSTATUS_SIE);
		csr_clear(sstatus, SSTATUS_SIE);
	}
	if (limit != 0UL) {
		csr_write(CSR_STIMECMP, ~0UL);
		csr_write(sie, sie_was);
	}
	return ok;
}

static struct sbiret send_ipi(unsigned long hart)
{
	return sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << hart, 0, 0, 0, 0, 0);
}

/* ------------------------------------------------------------- peer hart */
void secondary_main(unsigned long hartid, unsigned long opaque)
{
	unsigned long seen = 0;

	(void)hartid;
	(void)opaque;
	csr_write(stvec, (unsigned long)trap_entry);
	csr_write(sie, SIE_SSIE);
	__atomic_store_n(&peer_started, 1UL, __ATOMIC_RELEASE);
	(void)send_ipi(boot_hart);
	for (;;) {
		(void)wait_for(&cmd_seq, seen, 0, 0);
		seen = __atomic_load_n(&cmd_seq, __ATOMIC_ACQUIRE);
		if (cmd == CMD_SPIN) {
			while (__atomic_load_n(&spin_flag, __ATOMIC_ACQUIRE) != 0UL)
				;
		}
		__atomic_store_n(&ack_seq, seen, __ATOMIC_RELEASE);
		(void)send_ipi(boot_hart);
	}
}

/* Posts command c (without the IPI); returns its sequence number. */
static unsigned long peer_post(unsigned long c)
{
	unsigned long seq = cmd_seq + 1UL;

	cmd = c;
	__atomic_store_n(&cmd_seq, seq, __ATOMIC_RELEASE);
	return seq;
}

/* IPI the peer with c, sleep until it answered. */
static int peer_command(unsigned long c)
{
	unsigned long seq = peer_post(c);

	(void)send_ipi(peer_hart);
	return wait_for(&ack_seq, seq, 1, WAIT_LIMIT);
}

/* ---------------------------------------------------------- Bulkhead SBI */

static unsigned long bh_exits(void)
{
	return (unsigned long)sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_EXITS, 0, 0, 0, 0, 0, 0)
		.value;
}

static unsigned long bh_counter(unsigned long which)
{
	return (unsigned long)sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_COUNTER, 0, which, 0, 0,
					0, 0)
		.value;
}

struct exit_snap {
	unsigned long total, cause;
};

static void exits_begin(struct exit_snap *s, unsigned long cause)
{
	if (!in_cell)
		return;
	s->total = bh_exits();
	s->cause = bh_counter(cause);
}

/* Total excludes the two reading calls made after `total` was read.
 * `before` is printed after the counters are read, before the line. */
static void exits_end(const struct exit_snap *s, unsigned long cause, const char *name,
		      unsigned long n, const char *before)
{
	struct pbuf pb;
	unsigned long total, c;

	if (!in_cell) {
		print_str(before);
		return;
	}
	total = bh_exits();
	c = bh_counter(cause);
	print_str(before);
	line_start(&pb, "exits ");
	pb_str(&pb, name);
	kv(&pb, "n", n);
	kv(&pb, "total", total - s->total - 2UL);
	kv(&pb, "cause", c - s->cause);
	emit(&pb);
}

/* ----------------------------------------------------------- path lengths */

typedef void path_marker(void);

static void path_ecall(const char *name, path_marker *mark, unsigned long cause, unsigned long eid,
		       unsigned long fid, unsigned long a0, unsigned long a1)
{
	struct exit_snap s;
	unsigned long i;

	mark();
	exits_begin(&s, cause);
	for (i = 0; i < N_PATH; i++)
		samples_a[i] = m_ecall(eid, fid, a0, a1);
	exits_end(&s, cause, name, N_PATH, "");
	report_samples("path", name, samples_a, N_PATH);
}

static void path_ipi(void)
{
	struct exit_snap s;
	unsigned long i, seq, lost = 0;

	mark_ipi_send();
	exits_begin(&s, BH_STAT_SBI_IPI);
	for (i = 0; i < N_PATH; i++) {
		seq = peer_post(CMD_ACK);
		samples_a[i] = m_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << peer_hart, 0);
		if (!wait_for(&ack_seq, seq, 1, WAIT_LIMIT))
			lost++;
	}
	exits_end(&s, BH_STAT_SBI_IPI, "ipi_send", N_PATH, "");
	report_samples("path", "ipi_send", samples_a, N_PATH);
	if (lost != 0UL) {
		struct pbuf pb;

		line_start(&pb, "error ipi_send");
		kv(&pb, "unanswered", lost);
		emit(&pb);
	}
}

static void path_mmio(void)
{
	struct exit_snap s;
	unsigned long i, prio;

	mark_plic_read();
	exits_begin(&s, BH_STAT_MMIO_VPLIC);
	for (i = 0; i < N_PATH; i++)
		samples_a[i] = m_load32(PLIC_PRIORITY(UART_IRQ));
	exits_end(&s, BH_STAT_MMIO_VPLIC, "plic_read", N_PATH, "");
	report_samples("path", "plic_read", samples_a, N_PATH);

	/* Writes of the value the register holds: the path, not a change of state. */
	prio = *(volatile unsigned int *)PLIC_PRIORITY(UART_IRQ);
	mark_plic_write();
	exits_begin(&s, BH_STAT_MMIO_VPLIC);
	for (i = 0; i < N_PATH; i++)
		samples_a[i] = m_store32(PLIC_PRIORITY(UART_IRQ), prio);
	exits_end(&s, BH_STAT_MMIO_VPLIC, "plic_write", N_PATH, "");
	report_samples("path", "plic_write", samples_a, N_PATH);

	/* THR writes: N_UART dots, then a line end outside the measurement. */
	print_str("bench: uart dots follow\r\n");
	mark_uart_thr();
	exits_begin(&s, BH_STAT_MMIO_VUART);
	for (i = 0; i < N_UART; i++)
		samples_a[i] = m_store8(UART_BASE + UART_THR, '.');
	exits_end(&s, BH_STAT_MMIO_VUART, "uart_thr", N_UART, "\r\n");
	report_samples("path", "uart_thr", samples_a, N_UART);
}

static void paths(void)
{
	unsigned long far = rdtime_v() + FAR_FUTURE;

	path_ecall("legacy_set_timer", mark_legacy_set_timer, BH_STAT_SBI_LEGACY,
		   SBI_LEGACY_SET_TIMER, 0, far, 0);
	path_ecall("time_set_timer", mark_time_set_timer, BH_STAT_SBI_TIME, SBI_EXT_TIME,
		   SBI_TIME_SET_TIMER, far, 0);
	path_ecall("base_get_spec_version", mark_base_get_spec_version, BH_STAT_SBI_BASE,
		   SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0);
	path_ecall("base_probe_extension", mark_base_probe_extension, BH_STAT_SBI_BASE,
		   SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_TIME, 0);
	path_ipi();
	path_mmio();
	/* Leave no deadline armed. */
	csr_write(CSR_STIMECMP, ~0UL);
}

/* ------------------------------------------------------ verify and scope */

static void verify(void)
{
	unsigned long i;

	for (i = 0; i < N_VERIFY; i++)
		samples_a[i] = m_baseline();
	report_samples("verify", "baseline", samples_a, N_VERIFY);
	for (i = 0; i < N_VERIFY; i++)
		samples_a[i] = m_nops100();
	report_samples("verify", "nops100", samples_a, N_VERIFY);
}

/* ------------------------------------------------------- timer latency */

enum { PROG_SSTC, PROG_SBI };
enum { WAIT_WFI, WAIT_SPIN };

/* One deadline `delta` ticks ahead; returns 0 if no interrupt came. */
static int lat_sample(int prog, int wait, unsigned long delta, unsigned long *ticks,
		      unsigned long *insn)
{
	unsigned long deadline, before = 0, end;

	lat_rec.done = 0;
	deadline = rdtime_v() + delta;
	end = deadline + WAIT_LIMIT;
	if (prog == PROG_SSTC)
		csr_write(CSR_STIMECMP, deadline);
	else
		(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0, 0, 0, 0, 0);

	if (wait == WAIT_WFI) {
		/* SIE = 0: wfi wakes on the pending STIP, the trap is taken
		 * right after csrsi (privileged spec, "WFI"). */
		while (lat_rec.done == 0UL && !time_after(rdtime_v(), end)) {
			__asm__ volatile("rdinstret %0\n\t"
					 "wfi\n\t"
					 "csrsi sstatus, 2\n\t"
					 "csrci sstatus, 2"
					 : "=&r"(before)::"memory");
		}
	} else {
		csr_set(sstatus, SSTATUS_SIE);
		while (lat_rec.done == 0UL && !time_after(rdtime_v(), end))
			;
		csr_clear(sstatus, SSTATUS_SIE);
	}
	if (lat_rec.done == 0UL) {
		csr_write(CSR_STIMECMP, ~0UL);
		return 0;
	}
	*ticks = lat_rec.time - deadline;
	*insn = lat_rec.insn - before;
	return 1;
}

static void latency(int prog, int wait)
{
	unsigned long i, n = 0, missed = 0, t, ins;
	struct pbuf pb;

	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sscratch, (unsigned long)&lat_rec);
	csr_write(stvec, (unsigned long)lat_vector);
	csr_write(sie, SIE_STIE);
	for (i = 0; i < N_LAT; i++) {
		/* 20..116 ticks (2..11.6 us) ahead: every phase of the
		 * deadline against the 100 instructions of a tick. */
		unsigned long delta = 20UL + (i * 37UL) % 97UL;

		if (lat_sample(prog, wait, delta, &t, &ins)) {
			samples_a[n] = t;
			samples_b[n] = ins;
			n++;
		} else {
			missed++;
		}
	}
	csr_write(sie, SIE_SSIE);
	csr_write(stvec, (unsigned long)trap_entry);
	csr_set(sstatus, SSTATUS_SIE);

	line_start(&pb, "lat ");
	pb_str(&pb, prog == PROG_SSTC ? "sstc" : "sbi");
	pb_str(&pb, wait == WAIT_WFI ? " wfi" : " spin");
	kv(&pb, "n", n);
	if (missed != 0UL)
		kv(&pb, "missed", missed);
	if (n != 0UL) {
		summary(&pb, "ticks_", samples_a, n, 0);
		if (wait == WAIT_WFI)
			summary(&pb, "insn_", samples_b, n, 0);
	}
	emit(&pb);
}

/* instret delta across a wfi that waits `delta` ticks for the timer, with
 * the peer asleep and with the peer spinning: shows whose instructions
 * `instret` counts under QEMU -icount. */
static void scope(int spinning)
{
	unsigned long delta = 200UL, t = 0, ins = 0, seq = 0;
	struct pbuf pb;
	int ok;

	if (spinning) {
		spin_flag = 1;
		seq = peer_post(CMD_SPIN);
		(void)send_ipi(peer_hart);
	}
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sscratch, (unsigned long)&lat_rec);
	csr_write(stvec, (unsigned long)lat_vector);
	csr_write(sie, SIE_STIE);
	ok = lat_sample(PROG_SSTC, WAIT_WFI, delta, &t, &ins);
	csr_write(sie, SIE_SSIE);
	csr_write(stvec, (unsigned long)trap_entry);
	if (spinning) {
		__atomic_store_n(&spin_flag, 0UL, __ATOMIC_RELEASE);
		(void)wait_for(&ack_seq, seq, 1, WAIT_LIMIT);
	}
	csr_set(sstatus, SSTATUS_SIE);

	line_start(&pb, "scope peer=");
	pb_str(&pb, spinning ? "spinning" : "idle");
	kv(&pb, "deadline", delta);
	kv(&pb, "ok", (unsigned long)ok);
	kv(&pb, "ticks", t);
	kv(&pb, "insn", ins);
	emit(&pb);
}

/* ------------------------------------------------------------- boot hart */

void guest_main(unsigned long hartid, unsigned long dtb)
{
	unsigned long i0 = rdinstret();
	unsigned long t0 = rdtime_v();
	unsigned long i1, t1, bufs;
	struct sbiret r;
	struct pbuf pb;
	long impl;
	int started;

	(void)dtb;
	line_start(&pb, "boot");
	kv(&pb, "hart", hartid);
	kv(&pb, "instret", i0);
	kv(&pb, "time", t0);
	emit(&pb);
	i1 = rdinstret();
	t1 = rdtime_v();
	line_start(&pb, "first-line");
	kv(&pb, "instret", i1);
	kv(&pb, "time", t1);
	emit(&pb);

	boot_hart = hartid;
	peer_hart = hartid == 0UL ? 1UL : 0UL;
	bufs = ((unsigned long)__image_end + 0xfffUL) & ~0xfffUL;
	samples_a = (unsigned long *)bufs;
	samples_b = samples_a + N_LAT + N_PATH;

	r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID, 0, 0, 0, 0, 0, 0);
	impl = r.value;
	r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION, 0, 0, 0, 0, 0, 0);
	in_cell = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, SBI_EXT_BULKHEAD, 0, 0, 0, 0, 0)
			  .value != 0;
	line_start(&pb, "sbi");
	kv(&pb, "impl", (unsigned long)impl);
	kv(&pb, "version", (unsigned long)r.value);
	kv(&pb, "bulkhead", (unsigned long)in_cell);
	emit(&pb);

	csr_write(stvec, (unsigned long)trap_entry);
	csr_write(sie, SIE_SSIE);
	csr_set(sstatus, SSTATUS_SIE);

	/*
	 * Start the peer.  If it has not come up 1 ms later, send it an IPI
	 * and say so: the start request (or its wake-up) was lost on the way,
	 * and any further IPI is what lets the peer see it.
	 */
	r = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, peer_hart, (unsigned long)secondary_entry, 0,
		      0, 0, 0);
	if (r.error != SBI_SUCCESS) {
		line_start(&pb, "error hart_start");
		kv(&pb, "error", (unsigned long)-r.error);
		emit(&pb);
	} else if (!wait_for(&peer_started, 0, 0, 10000UL)) {
		(void)send_ipi(peer_hart);
		started = wait_for(&peer_started, 0, 0, WAIT_LIMIT);
		line_start(&pb, "warning peer-start-lost");
		kv(&pb, "started_after_ipi", (unsigned long)started);
		emit(&pb);
	}
	if (!peer_command(CMD_ACK)) {
		line_start(&pb, "error peer does not answer");
		emit(&pb);
	}
	csr_set(sstatus, SSTATUS_SIE);

	verify();
	scope(0);
	scope(1);
	paths();
	latency(PROG_SSTC, WAIT_WFI);
	latency(PROG_SBI, WAIT_WFI);
	latency(PROG_SSTC, WAIT_SPIN);
	latency(PROG_SBI, WAIT_SPIN);

	print_str("bench: done\r\n");
	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		__asm__ volatile("wfi");
}
