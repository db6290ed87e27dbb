/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe: an SBI conformance guest for a two-hart cell.
 *
 * The boot hart (slot 0) runs a list of checks against the SBI
 * implementation underneath (Bulkhead in a cell, OpenSBI natively) and
 * prints one line per check:
 *     PASS <check>
 *     FAIL <check>: <got ..., expected ...>
 * and finally "probe: <P> passed, <F> failed".  The second hart (slot 1)
 * is started through SBI HSM, checks its own start registers and serves
 * commands (send an IPI, stop) so that IPI, RFENCE and HSM are exercised
 * between two harts.  Numbers in comments refer to the RISC-V SBI
 * specification v2.0 chapters.
 *
 * Robustness rules: every wait is bounded by a `time` deadline, so a
 * missing feature gives a FAIL line rather than a hang; an unexpected
 * exception is reported as a FAIL and stepped over; SRST is only probed,
 * never called, because it would end the cell.
 *
 * Hart ids: natively the boot hart may be any physical hart, so the probe
 * uses the id from a0 and takes the other one of {0, 1} as its peer; in a
 * cell the boot hart is virtual hart 0 and the peer virtual hart 1.
 */
#include "csr.h"
#include "layout.h"
#include "print.h"
#include "probe_fdt.h"
#include "sbi.h"
#include "trap.h"
#include "uart.h"

/* /cpus/timebase-frequency of QEMU virt (dts/qemu-virt.dts). */
#define TIMEBASE_HZ 10000000UL
#define WAIT_LIMIT  TIMEBASE_HZ /* 1 s bound for every wait */
#define TIMER_DELTA 10000UL	/* 1 ms ahead */

#define OPAQUE_FIRST   0x1234UL
#define OPAQUE_SECOND  0x5678UL
#define ABSENT_HART    7UL	  /* no such hart: the cell has 2, QEMU runs <= 4 */
#define ABSENT_BASE    5UL	  /* hart_mask_base naming no hart of the cell */
#define ABSENT_MASKBIT (1UL << 2) /* hart 2 with base 0: not in the cell */

/* SBI v2.0 ch. 4.9 "SBI Implementation IDs": 1 = OpenSBI. */
#define SBI_IMPL_OPENSBI 1L
/* OpenSBI fw_dynamic's load address on QEMU virt (start of RAM). */
#define OPENSBI_FW_BASE 0x80000000UL

#define MAX_UNEXPECTED_TRAPS 8UL

struct hart_state {
	volatile unsigned long hartid;
	volatile unsigned long ssi; /* supervisor software interrupts */
	volatile unsigned long sti; /* supervisor timer interrupts */
	volatile unsigned long sei; /* supervisor external interrupts */
	volatile unsigned long other_irq;
	volatile unsigned long sti_time; /* `time` when the last STI was taken */
	volatile int expect_trap;	 /* an exception is expected: record, skip */
	volatile int trapped;
	volatile unsigned long trap_cause;
	volatile unsigned long unexpected;
};

static struct hart_state harts[GUEST_NSLOTS];

/* Boot hart -> second hart mailbox; cmd_seq/cmd_done are sequence numbers. */
enum { CMD_NONE, CMD_IPI_BOOT, CMD_STOP };
static volatile unsigned long cmd, cmd_seq, cmd_done;
static volatile long cmd_result;

/* What the second hart should find in a0/a1, set before each hart_start. */
static volatile unsigned long expect_peer_id, expect_opaque, start_gen;
static volatile unsigned long peer_alive_gen;

static volatile unsigned int npass, nfail;
static volatile unsigned int print_lock; /* 0 = free, else owner slot + 1 */

void guest_main(unsigned long hartid, unsigned long dtb);
void secondary_main(unsigned long hartid, unsigned long opaque);
void secondary_entry(void); /* secondary.S */

static struct hart_state *cur(void)
{
	return &harts[hart_slot()];
}

/* ---------------------------------------------------------------- output */

/*
 * Console lock: both harts print whole lines.  Interrupts are masked while
 * it is held; a nested use on the owning hart (an unexpected exception in
 * the middle of a line) goes ahead instead of deadlocking.
 */
static int console_lock(unsigned long *sie_was)
{
	unsigned int me = (unsigned int)hart_slot() + 1U;

	*sie_was = csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
	if (__atomic_load_n(&print_lock, __ATOMIC_RELAXED) == me)
		return 0;
	while (__atomic_exchange_n(&print_lock, me, __ATOMIC_ACQUIRE) != 0U)
		;
	return 1;
}

static void console_unlock(int taken, unsigned long sie_was)
{
	if (taken)
		__atomic_store_n(&print_lock, 0U, __ATOMIC_RELEASE);
	if (sie_was != 0UL)
		csr_set(sstatus, SSTATUS_SIE);
}

static void emit(const struct pbuf *pb)
{
	unsigned long sie_was;
	int taken = console_lock(&sie_was);

	uart_write(pb->buf, pb->len);
	console_unlock(taken, sie_was);
}

static void info(const char *s)
{
	struct pbuf pb;

	pb_init(&pb);
	pb_str(&pb, s);
	pb_str(&pb, "\r\n");
	emit(&pb);
}

static void report(const char *name, int ok, const struct pbuf *detail)
{
	struct pbuf pb;
	unsigned long i;

	pb_init(&pb);
	pb_str(&pb, ok ? "PASS " : "FAIL ");
	pb_str(&pb, name);
	if (!ok && detail != 0 && detail->len > 0UL) {
		pb_str(&pb, ": ");
		for (i = 0; i < detail->len; i++)
			pb_char(&pb, detail->buf[i]);
	}
	pb_str(&pb, "\r\n");
	emit(&pb);
	if (ok)
		__atomic_fetch_add(&npass, 1U, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&nfail, 1U, __ATOMIC_RELAXED);
}

/* "-2 (NOT_SUPPORTED)" */
static void pb_err(struct pbuf *pb, long err)
{
	pb_dec(pb, err);
	pb_str(pb, " (");
	pb_str(pb, sbi_err_name(err));
	pb_char(pb, ')');
}

/* A fresh d with "got error <err>", and " value <v>" if with_value. */
static void pb_got(struct pbuf *d, struct sbiret r, int with_value)
{
	pb_init(d);
	pb_str(d, "got error ");
	pb_err(d, r.error);
	if (with_value) {
		pb_str(d, " value ");
		pb_dec(d, r.value);
	}
}

/* PASS iff r.error == want. */
static void check_err(const char *name, struct sbiret r, long want)
{
	struct pbuf d;

	pb_got(&d, r, 0);
	pb_str(&d, ", expected ");
	pb_err(&d, want);
	report(name, r.error == want, &d);
}

/* PASS iff r.error is one of want1/want2 (the spec leaves a choice). */
static void check_err2(const char *name, struct sbiret r, long want1, long want2)
{
	struct pbuf d;

	pb_got(&d, r, 1);
	pb_str(&d, ", expected ");
	pb_err(&d, want1);
	pb_str(&d, " or ");
	pb_err(&d, want2);
	report(name, r.error == want1 || r.error == want2, &d);
}

/* PASS iff SUCCESS with value == want. */
static void check_value(const char *name, struct sbiret r, long want)
{
	struct pbuf d;

	pb_got(&d, r, 1);
	pb_str(&d, ", expected SUCCESS value ");
	pb_dec(&d, want);
	report(name, r.error == SBI_SUCCESS && r.value == want, &d);
}

/* --------------------------------------------------------------- helpers */

static struct sbiret ecall0(unsigned long eid, unsigned long fid)
{
	return sbi_ecall(eid, fid, 0, 0, 0, 0, 0, 0);
}

static struct sbiret ecall1(unsigned long eid, unsigned long fid, unsigned long a0)
{
	return sbi_ecall(eid, fid, a0, 0, 0, 0, 0, 0);
}

static struct sbiret ecall2(unsigned long eid, unsigned long fid, unsigned long a0,
			    unsigned long a1)
{
	return sbi_ecall(eid, fid, a0, a1, 0, 0, 0, 0);
}

static struct sbiret ecall3(unsigned long eid, unsigned long fid, unsigned long a0,
			    unsigned long a1, unsigned long a2)
{
	return sbi_ecall(eid, fid, a0, a1, a2, 0, 0, 0);
}

static int time_after(unsigned long a, unsigned long b)
{
	return (long)(a - b) > 0;
}

/* Waits until *p != old; 0 if that did not happen within `limit` ticks. */
static int wait_change(volatile unsigned long *p, unsigned long old, unsigned long limit)
{
	unsigned long end = rdtime() + limit;

	while (*p == old) {
		if (time_after(rdtime(), end))
			return 0;
	}
	return 1;
}

/* Waits until *p == want; 0 if that did not happen within `limit` ticks. */
static int wait_equal(volatile unsigned long *p, unsigned long want, unsigned long limit)
{
	unsigned long end = rdtime() + limit;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != want) {
		if (time_after(rdtime(), end))
			return 0;
	}
	return 1;
}

/* Polls hart_get_status until it reports `state`; returns the last result. */
static struct sbiret wait_hsm_state(unsigned long hartid, long state)
{
	unsigned long end = rdtime() + WAIT_LIMIT;
	struct sbiret r;

	do {
		r = ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid);
		if (r.error == SBI_SUCCESS && r.value == state)
			break;
	} while (!time_after(rdtime(), end));
	return r;
}

/* Posts a command to the second hart and waits (bounded) for its ack. */
static int peer_cmd(unsigned long c, long *result)
{
	unsigned long seq = cmd_seq + 1UL;
	unsigned long end = rdtime() + WAIT_LIMIT;

	cmd = c;
	__atomic_store_n(&cmd_seq, seq, __ATOMIC_RELEASE);
	while (__atomic_load_n(&cmd_done, __ATOMIC_ACQUIRE) != seq) {
		if (time_after(rdtime(), end))
			return 0;
	}
	*result = cmd_result;
	return 1;
}

/* ----------------------------------------------------------------- traps */

static unsigned long insn_len(unsigned long pc)
{
	/* Base-ISA instructions have bits [1:0] = 11, compressed ones do
	 * not (unprivileged spec, "Base Instruction-Length Encoding").
	 * The MMU is off, so pc is a readable guest-physical address. */
	unsigned short half = *(volatile unsigned short *)pc;

	return (half & 3U) == 3U ? 4UL : 2UL;
}

void trap_handler(struct trap_frame *f)
{
	struct hart_state *h = cur();
	unsigned long code = SCAUSE_CODE(f->scause);
	struct pbuf d;

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_SOFT) {
			/* An IPI is sip.SSIP set by the SBI implementation;
			 * S-mode clears it (SBI v2.0 ch. 7). */
			csr_clear(sip, SIP_SSIP);
			h->ssi++;
		} else if (code == IRQ_S_TIMER) {
			/* STIP stays pending until the timer is reprogrammed:
			 * mask it here, the test rearms and clears. */
			h->sti_time = rdtime();
			csr_clear(sie, SIE_STIE);
			h->sti++;
		} else if (code == IRQ_S_EXT) {
			csr_clear(sie, SIE_SEIE); /* the probe owns no device */
			h->sei++;
		} else {
			if (code < 64UL)
				csr_clear(sie, 1UL << code);
			h->other_irq++;
		}
		return;
	}

	if (h->expect_trap) {
		h->trapped = 1;
		h->trap_cause = f->scause;
		f->sepc += insn_len(f->sepc);
		return;
	}

	h->unexpected++;
	pb_init(&d);
	pb_str(&d, "slot ");
	pb_udec(&d, hart_slot());
	pb_str(&d, " scause ");
	pb_hex(&d, f->scause);
	pb_str(&d, " sepc ");
	pb_hex(&d, f->sepc);
	pb_str(&d, " stval ");
	pb_hex(&d, f->stval);
	report("trap.unexpected_exception", 0, &d);

	/* Stepping over a faulting fetch is impossible; and a storm of
	 * traps means the probe itself is lost. */
	if (code == EXC_INSN_MISALIGNED || code == EXC_INSN_ACCESS || code == EXC_INSN_PAGE_FAULT ||
	    code == EXC_INSN_GUEST_PAGE || h->unexpected > MAX_UNEXPECTED_TRAPS) {
		info("probe: halted after unexpected exceptions");
		for (;;)
			__asm__ volatile("wfi");
	}
	f->sepc += insn_len(f->sepc);
}

static void trap_init(void)
{
	csr_write(stvec, (unsigned long)trap_entry); /* direct mode */
	csr_write(sie, SIE_SSIE);		     /* STIE only while a timer test runs */
	csr_set(sstatus, SSTATUS_SIE);
}

/* ------------------------------------------------------------------ BASE */

struct named_eid {
	const char *name;
	unsigned long eid;
};

static long check_base(void)
{
	static const struct named_eid present[] = {
		{"base.probe_extension.TIME", SBI_EXT_TIME},
		{"base.probe_extension.IPI", SBI_EXT_IPI},
		{"base.probe_extension.RFENCE", SBI_EXT_RFENCE},
		{"base.probe_extension.HSM", SBI_EXT_HSM},
		{"base.probe_extension.SRST", SBI_EXT_SRST},
		{"base.probe_extension.DBCN", SBI_EXT_DBCN},
		{"base.probe_extension.legacy_set_timer", SBI_LEGACY_SET_TIMER},
		{"base.probe_extension.legacy_console_putchar", SBI_LEGACY_CONSOLE_PUTCHAR},
		{"base.probe_extension.legacy_console_getchar", SBI_LEGACY_CONSOLE_GETCHAR},
		{"base.probe_extension.legacy_shutdown", SBI_LEGACY_SHUTDOWN},
	};
	struct sbiret r, rv;
	struct pbuf d;
	long impl_id;
	unsigned int i;

	/* ch. 4.1: bit 31 must be 0, major in [30:24], minor in [23:0]. */
	r = ecall0(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION);
	pb_got(&d, r, 0);
	pb_str(&d, " version ");
	pb_hex(&d, (unsigned long)r.value);
	pb_str(&d, ", expected SUCCESS and >= 0x2000000 (v2.0)");
	report("base.spec_version",
	       r.error == SBI_SUCCESS && ((unsigned long)r.value & 0x80000000UL) == 0UL &&
		       (unsigned long)r.value >= 0x2000000UL,
	       &d);

	r = ecall0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_ID);
	check_err("base.impl_id", r, SBI_SUCCESS);
	impl_id = r.error == SBI_SUCCESS ? r.value : -1L;
	rv = ecall0(SBI_EXT_BASE, SBI_BASE_GET_IMPL_VERSION);
	check_err("base.impl_version", rv, SBI_SUCCESS);

	pb_init(&d);
	pb_str(&d, "probe: SBI implementation id ");
	pb_dec(&d, impl_id);
	if (impl_id == SBI_IMPL_OPENSBI)
		pb_str(&d, " (OpenSBI)");
	pb_str(&d, " version ");
	pb_hex(&d, (unsigned long)rv.value);
	pb_str(&d, "\r\n");
	emit(&d);

	/* ch. 4.4: probe_extension returns 0 for an absent extension and
	 * an extension-specific non-zero value otherwise. */
	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		r = ecall1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, present[i].eid);
		pb_got(&d, r, 1);
		pb_str(&d, ", expected SUCCESS and a non-zero value");
		report(present[i].name, r.error == SBI_SUCCESS && r.value != 0, &d);
	}
	r = ecall1(SBI_EXT_BASE, SBI_BASE_PROBE_EXTENSION, 0x0A5A5A5AUL);
	check_value("base.probe_extension.unknown_0x0a5a5a5a", r, 0);

	/* ch. 3: an unimplemented function of an implemented extension
	 * returns SBI_ERR_NOT_SUPPORTED. */
	check_err("base.invalid_function", ecall0(SBI_EXT_BASE, 99), SBI_ERR_NOT_SUPPORTED);

	/* ch. 4.5-4.7: always succeed (the value may legally be 0). */
	check_err("base.mvendorid", ecall0(SBI_EXT_BASE, SBI_BASE_GET_MVENDORID), SBI_SUCCESS);
	check_err("base.marchid", ecall0(SBI_EXT_BASE, SBI_BASE_GET_MARCHID), SBI_SUCCESS);
	check_err("base.mimpid", ecall0(SBI_EXT_BASE, SBI_BASE_GET_MIMPID), SBI_SUCCESS);
	return impl_id;
}

/* ---------------------------------------------- unknown extensions/fids */

static void check_unknown(void)
{
	/*
	 * EIDs are signed 32-bit values passed sign-extended in a7 (ch. 3),
	 * so 0xFFFFFFFF is passed as -1.  0x09 is an unassigned legacy EID
	 * (ch. 5), 0x09000000 lies in the vendor range, 0x0A5A5A5A in the
	 * firmware range (ch. 3 "SBI Extension ID ranges"); none exists here.
	 */
	static const struct named_eid unknown[] = {
		{"unknown_eid.0x0a5a5a5a", 0x0A5A5A5AUL},
		{"unknown_eid.0x12345678", 0x12345678UL},
		{"unknown_eid.0x7fffffff", 0x7FFFFFFFUL},
		{"unknown_eid.0x09000000", 0x09000000UL},
		{"unknown_eid.legacy_0x09", 0x09UL},
		{"unknown_eid.0xffffffff", (unsigned long)-1L},
	};
	unsigned int i;

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		check_err(unknown[i].name, ecall0(unknown[i].eid, 0), SBI_ERR_NOT_SUPPORTED);

	/* Function ids one past the last defined one of each extension. */
	check_err("unknown_fid.TIME_1", ecall0(SBI_EXT_TIME, 1), SBI_ERR_NOT_SUPPORTED);
	check_err("unknown_fid.IPI_1", ecall0(SBI_EXT_IPI, 1), SBI_ERR_NOT_SUPPORTED);
	check_err("unknown_fid.RFENCE_7", ecall0(SBI_EXT_RFENCE, 7), SBI_ERR_NOT_SUPPORTED);
	check_err("unknown_fid.HSM_99", ecall0(SBI_EXT_HSM, 99), SBI_ERR_NOT_SUPPORTED);
	check_err("unknown_fid.DBCN_3", ecall0(SBI_EXT_DBCN, 3), SBI_ERR_NOT_SUPPORTED);
}

/* ---------------------------------------------------------------- legacy */

static void check_legacy_console(void)
{
	static const char msg[] = "probe: legacy putchar ok\r\n";
	unsigned long sie_was, i;
	long ret, bad = 0;
	struct pbuf d;
	int taken;

	/* ch. 5.2: returns 0 on success. */
	taken = console_lock(&sie_was);
	for (i = 0; msg[i] != '\0'; i++) {
		ret = sbi_legacy(SBI_LEGACY_CONSOLE_PUTCHAR, (unsigned char)msg[i]);
		if (ret != 0 && bad == 0)
			bad = ret;
	}
	console_unlock(taken, sie_was);
	pb_init(&d);
	pb_str(&d, "a call returned ");
	pb_dec(&d, bad);
	pb_str(&d, ", expected 0");
	report("legacy.console_putchar", bad == 0, &d);

	/* ch. 5.3: -1 when no byte is waiting (nobody types during the run). */
	ret = sbi_legacy(SBI_LEGACY_CONSOLE_GETCHAR, 0);
	pb_init(&d);
	pb_str(&d, "got ");
	pb_dec(&d, ret);
	pb_str(&d, ", expected -1 (no input)");
	report("legacy.console_getchar_empty", ret == -1, &d);
}

/* ------------------------------------------------------------------ DBCN */

static void check_dbcn(unsigned long bad_addr)
{
	static const char msg[] = "probe: dbcn write ok\r\n";
	static const char bytes[] = "probe: dbcn write_byte ok\r\n";
	static char rbuf[16];
	unsigned long len = sizeof(msg) - 1UL, done = 0, calls = 0, sie_was, i;
	struct sbiret r = {0, 0}, rb = {0, 0};
	struct pbuf d;
	int taken;

	/* ch. 12.1: non-blocking, may write part of the buffer; the
	 * remainder is written by further calls, like Linux's hvc driver
	 * does.  Paging is off, so the pointer is the physical address. */
	taken = console_lock(&sie_was);
	while (done < len && calls < 16UL) {
		r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, len - done,
			   (unsigned long)msg + done, 0);
		calls++;
		if (r.error != SBI_SUCCESS || (unsigned long)r.value > len - done)
			break;
		done += (unsigned long)r.value;
	}
	console_unlock(taken, sie_was);
	pb_got(&d, r, 0);
	pb_str(&d, ", ");
	pb_udec(&d, done);
	pb_str(&d, " bytes in ");
	pb_udec(&d, calls);
	pb_str(&d, " calls, expected SUCCESS and ");
	pb_udec(&d, len);
	report("dbcn.console_write", r.error == SBI_SUCCESS && done == len, &d);

	/* ch. 12.3: blocking, returns SUCCESS. */
	taken = console_lock(&sie_was);
	for (i = 0; bytes[i] != '\0'; i++) {
		r = ecall1(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE_BYTE, (unsigned char)bytes[i]);
		if (r.error != SBI_SUCCESS && rb.error == SBI_SUCCESS)
			rb = r;
	}
	console_unlock(taken, sie_was);
	check_err("dbcn.console_write_byte", rb, SBI_SUCCESS);

	/* ch. 3.2 (shared memory physical address range): the SBI
	 * implementation must check that S-mode may access the range; on
	 * RV64 a non-zero base_addr_hi names an address above 2^64. */
	taken = console_lock(&sie_was);
	r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 4, (unsigned long)msg, 1);
	console_unlock(taken, sie_was);
	pb_got(&d, r, 1);
	pb_str(&d, ", expected an error (INVALID_PARAM)");
	report("dbcn.console_write_addr_hi", r.error < 0, &d);

	taken = console_lock(&sie_was);
	r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_WRITE, 16, bad_addr, 0);
	console_unlock(taken, sie_was);
	check_err2("dbcn.console_write_inaccessible", r, SBI_ERR_INVALID_PARAM,
		   SBI_ERR_INVALID_ADDRESS);

	/* ch. 12.2: non-blocking; nothing typed means 0 bytes. */
	r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 0, (unsigned long)rbuf, 0);
	check_value("dbcn.console_read_zero_bytes", r, 0);
	r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, sizeof(rbuf), (unsigned long)rbuf, 0);
	check_value("dbcn.console_read_empty", r, 0);
	r = ecall3(SBI_EXT_DBCN, SBI_DBCN_CONSOLE_READ, 16, bad_addr, 0);
	check_err2("dbcn.console_read_inaccessible", r, SBI_ERR_INVALID_PARAM,
		   SBI_ERR_INVALID_ADDRESS);
}

/* ------------------------------------------------------------------ TIME */

enum timer_way { TIMER_SBI, TIMER_SSTC, TIMER_LEGACY };

/* Programs the timer one of three ways; returns the SBI error (or 0). */
static long timer_program(enum timer_way way, unsigned long when)
{
	struct hart_state *h = cur();

	switch (way) {
	case TIMER_SBI: return ecall1(SBI_EXT_TIME, SBI_TIME_SET_TIMER, when).error;
	case TIMER_LEGACY:
		/* ch. 5.1: no defined return value. */
		sbi_legacy_set_timer(when);
		return SBI_SUCCESS;
	case TIMER_SSTC:
	default:
		/* Without Sstc (or with henvcfg.STCE = 0 in a cell) the
		 * write traps; the handler records that and steps over. */
		h->trapped = 0;
		h->expect_trap = 1;
		csr_write(CSR_STIMECMP, when);
		h->expect_trap = 0;
		return SBI_SUCCESS;
	}
}

static void check_timer(const char *name, const char *clear_name, enum timer_way way)
{
	struct hart_state *h = cur();
	unsigned long before, target, pending;
	int fired, trapped;
	long err;
	struct pbuf d;

	csr_clear(sie, SIE_STIE);
	before = h->sti;
	h->trapped = 0;
	target = rdtime() + TIMER_DELTA;
	err = timer_program(way, target);
	trapped = h->trapped;
	csr_set(sie, SIE_STIE);
	fired = wait_change(&h->sti, before, WAIT_LIMIT);
	csr_clear(sie, SIE_STIE);

	pb_init(&d);
	if (trapped) {
		pb_str(&d, "writing stimecmp trapped, scause ");
		pb_hex(&d, h->trap_cause);
	} else if (err != SBI_SUCCESS) {
		pb_str(&d, "set_timer returned ");
		pb_err(&d, err);
	} else if (!fired) {
		pb_str(&d, "no timer interrupt within 1 s of deadline ");
		pb_hex(&d, target);
	} else {
		pb_str(&d, "interrupt at time ");
		pb_hex(&d, h->sti_time);
		pb_str(&d, " before the deadline ");
		pb_hex(&d, target);
	}
	report(name, !trapped && err == SBI_SUCCESS && fired && !time_after(target, h->sti_time),
	       &d);

	/* ch. 6.1: a timer "infinitely far into the future" clears the
	 * pending timer interrupt (same for stimecmp, Sstc spec). */
	h->trapped = 0;
	err = timer_program(way, ~0UL);
	pending = csr_read(sip) & SIP_STIP;
	pb_init(&d);
	if (h->trapped) {
		pb_str(&d, "writing stimecmp trapped, scause ");
		pb_hex(&d, h->trap_cause);
	} else if (err != SBI_SUCCESS) {
		pb_str(&d, "set_timer returned ");
		pb_err(&d, err);
	} else {
		pb_str(&d, "sip.STIP still set after programming (uint64_t)-1");
	}
	report(clear_name, !h->trapped && err == SBI_SUCCESS && pending == 0UL, &d);
}

/* ----------------------------------------------------------- HSM helpers */

static struct sbiret hart_start(unsigned long hartid, unsigned long addr, unsigned long opaque)
{
	return ecall3(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, addr, opaque);
}

/* Starts the peer for generation `gen` and waits until it runs. */
static void start_peer(const char *name, const char *run_name, unsigned long peer,
		       unsigned long gen, unsigned long opaque)
{
	struct sbiret r;
	struct pbuf d;
	int up;

	expect_peer_id = peer;
	expect_opaque = opaque;
	__atomic_store_n(&start_gen, gen, __ATOMIC_RELEASE);
	r = hart_start(peer, (unsigned long)secondary_entry, opaque);
	check_err(name, r, SBI_SUCCESS);

	up = wait_equal(&peer_alive_gen, gen, WAIT_LIMIT);
	r = ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, peer);
	pb_init(&d);
	pb_str(&d, "hart ");
	pb_udec(&d, peer);
	pb_str(&d, " did not reach its entry within 1 s (status error ");
	pb_err(&d, r.error);
	pb_str(&d, " state ");
	pb_dec(&d, r.value);
	pb_char(&d, ')');
	report(run_name, up, &d);
}

static void stop_peer(const char *name, unsigned long peer)
{
	struct sbiret r;
	struct pbuf d;
	long res = 0;
	int acked;

	acked = peer_cmd(CMD_STOP, &res);
	r = wait_hsm_state(peer, SBI_HSM_STATE_STOPPED);
	pb_init(&d);
	if (!acked) {
		pb_str(&d, "the hart did not take the stop command within 1 s");
	} else {
		pb_str(&d, "hart_get_status: error ");
		pb_err(&d, r.error);
		pb_str(&d, " state ");
		pb_dec(&d, r.value);
		pb_str(&d, ", expected STOPPED (1) within 1 s");
	}
	report(name, acked && r.error == SBI_SUCCESS && r.value == SBI_HSM_STATE_STOPPED, &d);
}

/* ------------------------------------------------------------------- IPI */

/* IPI targets of one check */
#define TO_SELF 1U
#define TO_PEER 2U

/* Sends an IPI and waits (bounded) for every targeted hart to take it. */
static void ipi_check(const char *name, unsigned int targets, unsigned long mask,
		      unsigned long base)
{
	unsigned long b0 = harts[0].ssi, b1 = harts[1].ssi;
	unsigned int got = 0;
	struct sbiret r;
	struct pbuf d;

	r = ecall2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base);
	if ((targets & TO_SELF) != 0U && wait_change(&harts[0].ssi, b0, WAIT_LIMIT))
		got |= TO_SELF;
	if ((targets & TO_PEER) != 0U && wait_change(&harts[1].ssi, b1, WAIT_LIMIT))
		got |= TO_PEER;

	pb_init(&d);
	pb_str(&d, "send_ipi error ");
	pb_err(&d, r.error);
	if ((targets & TO_SELF) != 0U)
		pb_str(&d, (got & TO_SELF) != 0U ? ", boot hart got it"
						 : ", boot hart saw no IPI within 1 s");
	if ((targets & TO_PEER) != 0U)
		pb_str(&d,
		       (got & TO_PEER) != 0U ? ", peer got it" : ", peer saw no IPI within 1 s");
	report(name, r.error == SBI_SUCCESS && got == targets, &d);
}

static void check_ipi(unsigned long self, unsigned long peer)
{
	struct hart_state *me = &harts[0];
	unsigned long b0;
	struct pbuf d;
	long res = SBI_ERR_FAILED;
	int acked, got;

	/* ch. 7.1 + ch. 3 hart mask: bit i of hart_mask names hart
	 * hart_mask_base + i; hart_mask_base = -1 means every hart. */
	ipi_check("ipi.boot_to_peer", TO_PEER, 1, peer);

	b0 = me->ssi;
	acked = peer_cmd(CMD_IPI_BOOT, &res);
	got = wait_change(&me->ssi, b0, WAIT_LIMIT);
	pb_init(&d);
	if (!acked) {
		pb_str(&d, "peer did not take the command within 1 s");
	} else {
		pb_str(&d, "peer's send_ipi error ");
		pb_err(&d, res);
		pb_str(&d, got ? "" : ", boot hart saw no IPI");
	}
	report("ipi.peer_to_boot", acked && res == SBI_SUCCESS && got, &d);

	ipi_check("ipi.to_self", TO_SELF, 1, self);
	ipi_check("ipi.mask_both", TO_SELF | TO_PEER, (1UL << self) | (1UL << peer), 0);
	ipi_check("ipi.mask_base_all", TO_SELF | TO_PEER, 0, (unsigned long)-1L);

	/* ch. 7.1: INVALID_PARAM if a hart named by the mask is not valid
	 * (not enabled or not available to the supervisor); in a cell the
	 * harts of other cells are exactly such harts. */
	check_err("ipi.absent_hart_base", ecall2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, ABSENT_BASE),
		  SBI_ERR_INVALID_PARAM);
	check_err("ipi.absent_hart_mask_bit",
		  ecall2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, ABSENT_MASKBIT, 0), SBI_ERR_INVALID_PARAM);
}

/* ---------------------------------------------------------------- RFENCE */

static struct sbiret rfence(unsigned long fid, unsigned long mask, unsigned long base,
			    unsigned long start, unsigned long size, unsigned long id)
{
	return sbi_ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, id, 0);
}

static void check_rfence(unsigned long self, unsigned long peer)
{
	unsigned long both = (1UL << self) | (1UL << peer);

	/* ch. 8: start_addr = size = 0 means the whole address space. */
	check_err("rfence.fence_i", rfence(SBI_RFENCE_FENCE_I, both, 0, 0, 0, 0), SBI_SUCCESS);
	check_err("rfence.sfence_vma_all", rfence(SBI_RFENCE_SFENCE_VMA, both, 0, 0, 0, 0),
		  SBI_SUCCESS);
	check_err("rfence.sfence_vma_range",
		  rfence(SBI_RFENCE_SFENCE_VMA, both, 0, GUEST_LOAD_ADDR, 0x1000, 0), SBI_SUCCESS);
	check_err("rfence.sfence_vma_asid", rfence(SBI_RFENCE_SFENCE_VMA_ASID, both, 0, 0, 0, 0),
		  SBI_SUCCESS);
	check_err("rfence.fence_i_mask_base_all",
		  rfence(SBI_RFENCE_FENCE_I, 0, (unsigned long)-1L, 0, 0, 0), SBI_SUCCESS);

	/* ch. 3 hart mask: a hart that is not available -> INVALID_PARAM. */
	check_err("rfence.fence_i_absent_hart", rfence(SBI_RFENCE_FENCE_I, 1, ABSENT_BASE, 0, 0, 0),
		  SBI_ERR_INVALID_PARAM);
	check_err("rfence.sfence_vma_absent_hart",
		  rfence(SBI_RFENCE_SFENCE_VMA, ABSENT_MASKBIT, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM);

	/* ch. 8.4-8.7: the remote HFENCE calls are "only valid for harts
	 * implementing hypervisor extension"; a cell's virtual harts do not
	 * implement H, so NOT_SUPPORTED.  (On bare OpenSBI the harts do
	 * implement H and these succeed.) */
	check_err("rfence.hfence_gvma_vmid", rfence(SBI_RFENCE_HFENCE_GVMA_VMID, both, 0, 0, 0, 0),
		  SBI_ERR_NOT_SUPPORTED);
	check_err("rfence.hfence_gvma", rfence(SBI_RFENCE_HFENCE_GVMA, both, 0, 0, 0, 0),
		  SBI_ERR_NOT_SUPPORTED);
	check_err("rfence.hfence_vvma_asid", rfence(SBI_RFENCE_HFENCE_VVMA_ASID, both, 0, 0, 0, 0),
		  SBI_ERR_NOT_SUPPORTED);
	check_err("rfence.hfence_vvma", rfence(SBI_RFENCE_HFENCE_VVMA, both, 0, 0, 0, 0),
		  SBI_ERR_NOT_SUPPORTED);
}

/* ------------------------------------------------ inaccessible address */

/*
 * An address S-mode may not touch, for the "bad address" checks of DBCN
 * (ch. 12) and HSM hart_start (ch. 9.1).  Natively under OpenSBI the
 * root domain lets S-mode reach all memory except OpenSBI's own region,
 * which it declares as a no-map /reserved-memory node; in a cell it is
 * the first byte past the guest RAM that holds the image, taken from the
 * guest device tree (falling back to 0x1000, never RAM in any cell).
 */
static unsigned long pick_bad_address(unsigned long dtb, long impl_id)
{
	struct fdt_info fi;
	unsigned long addr = 0x1000UL;
	const char *why = "fallback, outside any cell RAM";
	struct pbuf pb;
	unsigned int i;
	int rc = fdt_scan(dtb, &fi);

	if (impl_id == SBI_IMPL_OPENSBI) {
		if (rc == 0 && fi.have_nomap) {
			addr = fi.nomap_base;
			why = "OpenSBI no-map reserved region from the DT";
		} else {
			addr = OPENSBI_FW_BASE;
			why = "OpenSBI firmware base";
		}
	} else if (rc == 0) {
		for (i = 0; i < fi.nmem; i++) {
			if (GUEST_LOAD_ADDR >= fi.mem_base[i] &&
			    GUEST_LOAD_ADDR - fi.mem_base[i] < fi.mem_size[i]) {
				addr = fi.mem_base[i] + fi.mem_size[i];
				why = "first byte past the guest RAM in the DT";
			}
		}
		for (i = 0; i < fi.nmem; i++) {
			if (addr >= fi.mem_base[i] && addr - fi.mem_base[i] < fi.mem_size[i]) {
				addr = 0x1000UL;
				why = "fallback, RAM continues past the image's range";
			}
		}
	}

	pb_init(&pb);
	pb_str(&pb, "probe: dtb ");
	pb_hex(&pb, dtb);
	pb_str(&pb, rc == 0 ? " parsed" : " unreadable");
	pb_str(&pb, ", inaccessible test address ");
	pb_hex(&pb, addr);
	pb_str(&pb, " (");
	pb_str(&pb, why);
	pb_str(&pb, ")\r\n");
	emit(&pb);
	return addr;
}

/* --------------------------------------------------------- second hart */

void secondary_main(unsigned long hartid, unsigned long opaque)
{
	struct hart_state *h = &harts[1];
	unsigned long gen = __atomic_load_n(&start_gen, __ATOMIC_ACQUIRE);
	struct pbuf d;
	struct sbiret r;

	/* ch. 9.1 table "HSM Hart Start Register State": a0 = hartid,
	 * a1 = opaque. */
	pb_init(&d);
	pb_str(&d, "a0 = ");
	pb_hex(&d, hartid);
	pb_str(&d, ", expected ");
	pb_hex(&d, expect_peer_id);
	report(gen == 1UL ? "hsm.start.a0_hartid" : "hsm.restart.a0_hartid",
	       hartid == expect_peer_id, &d);
	pb_init(&d);
	pb_str(&d, "a1 = ");
	pb_hex(&d, opaque);
	pb_str(&d, ", expected ");
	pb_hex(&d, expect_opaque);
	report(gen == 1UL ? "hsm.start.a1_opaque" : "hsm.restart.a1_opaque",
	       opaque == expect_opaque, &d);

	h->hartid = hartid;
	trap_init();
	__atomic_store_n(&peer_alive_gen, gen, __ATOMIC_RELEASE);

	for (;;) {
		unsigned long seq = __atomic_load_n(&cmd_seq, __ATOMIC_ACQUIRE);

		if (seq == cmd_done)
			continue;
		if (cmd == CMD_IPI_BOOT) {
			r = ecall2(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, harts[0].hartid);
			cmd_result = r.error;
			__atomic_store_n(&cmd_done, seq, __ATOMIC_RELEASE);
		} else if (cmd == CMD_STOP) {
			/* ch. 9.2: hart_stop must be called with S-mode
			 * interrupts disabled; it does not return. */
			csr_clear(sstatus, SSTATUS_SIE);
			cmd_result = SBI_SUCCESS;
			__atomic_store_n(&cmd_done, seq, __ATOMIC_RELEASE);
			r = ecall0(SBI_EXT_HSM, SBI_HSM_HART_STOP);
			pb_init(&d);
			pb_str(&d, "hart_stop returned error ");
			pb_err(&d, r.error);
			report("hsm.hart_stop_returned", 0, &d);
			csr_set(sstatus, SSTATUS_SIE);
		} else {
			__atomic_store_n(&cmd_done, seq, __ATOMIC_RELEASE);
		}
	}
}

/* ------------------------------------------------------------ boot hart */

void guest_main(unsigned long hartid, unsigned long dtb)
{
	unsigned long self = hartid, peer = hartid == 0UL ? 1UL : 0UL;
	unsigned long bad_addr;
	struct sbiret r;
	struct pbuf pb;
	long impl_id;

	harts[0].hartid = hartid;
	trap_init();

	pb_init(&pb);
	pb_str(&pb, "probe: boot hart ");
	pb_udec(&pb, self);
	pb_str(&pb, ", peer hart ");
	pb_udec(&pb, peer);
	pb_str(&pb, "\r\n");
	emit(&pb);

	impl_id = check_base();
	bad_addr = pick_bad_address(dtb, impl_id);
	check_unknown();
	check_legacy_console();
	check_dbcn(bad_addr);

	check_timer("time.set_timer", "time.set_timer_clear", TIMER_SBI);
	check_timer("time.sstc_stimecmp", "time.sstc_stimecmp_clear", TIMER_SSTC);
	check_timer("time.legacy_set_timer", "time.legacy_set_timer_clear", TIMER_LEGACY);

	/* HSM before the peer runs (ch. 9). */
	r = ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, self);
	check_value("hsm.status_self_started", r, SBI_HSM_STATE_STARTED);
	r = ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, peer);
	check_value("hsm.status_peer_stopped", r, SBI_HSM_STATE_STOPPED);
	check_err("hsm.status_absent_hart",
		  ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, ABSENT_HART), SBI_ERR_INVALID_PARAM);
	check_err("hsm.start_absent_hart",
		  hart_start(ABSENT_HART, (unsigned long)secondary_entry, 0),
		  SBI_ERR_INVALID_PARAM);
	check_err("hsm.start_self", hart_start(self, (unsigned long)secondary_entry, 0),
		  SBI_ERR_ALREADY_AVAILABLE);

	start_peer("hsm.start", "hsm.start.peer_running", peer, 1, OPAQUE_FIRST);
	r = ecall1(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, peer);
	check_value("hsm.status_peer_started", r, SBI_HSM_STATE_STARTED);
	check_err("hsm.start_already_started", hart_start(peer, (unsigned long)secondary_entry, 0),
		  SBI_ERR_ALREADY_AVAILABLE);

	check_ipi(self, peer);
	check_rfence(self, peer);

	stop_peer("hsm.stop", peer);
	start_peer("hsm.restart", "hsm.restart.peer_running", peer, 2, OPAQUE_SECOND);
	stop_peer("hsm.stop_again", peer);

	/* Last, with the peer stopped: should the start wrongly succeed,
	 * only this check is affected. */
	check_err2("hsm.start_inaccessible_address", hart_start(peer, bad_addr, 0),
		   SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM);

	pb_init(&pb);
	pb_str(&pb, "probe: ");
	pb_udec(&pb, __atomic_load_n(&npass, __ATOMIC_RELAXED));
	pb_str(&pb, " passed, ");
	pb_udec(&pb, __atomic_load_n(&nfail, __ATOMIC_RELAXED));
	pb_str(&pb, " failed\r\n");
	emit(&pb);

	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		__asm__ volatile("wfi");
}
