/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbi-fuzz: a bounded, seeded run of random SBI calls (bootargs seed=<n>,
 * calls=<n>).  Extension ids are biased toward real ones (those Bulkhead
 * implements, other standard ones, the legacy range), function ids toward
 * small numbers, arguments toward interesting values (0, -1, hart masks,
 * addresses of this cell, of other cells, of the hypervisor, of devices).
 *
 * Calls that would legitimately end this cell are never made as such
 * ("sanitized", counted): legacy shutdown (EID 8), SRST system_reset with a
 * valid type (0-2; only invalid types are sent), HSM hart_stop and a
 * default retentive hart_suspend with nothing to wake it.  DBCN buffers that
 * fall into this cell's RAM are redirected to buffers of its own, so the
 * console shows text instead of memory.
 *
 * A spec oracle checks what the SBI v2.0 spec fixes: unknown extensions
 * return NOT_SUPPORTED, hart masks and hart ids outside the cell
 * INVALID_PARAM, DBCN buffers outside the cell INVALID_PARAM, probe_extension
 * tells the truth, error codes are standard.  Each mismatch is a violation.
 *
 * Output: sbi-fuzz: <n> calls, seed <s>, errors NAME=<k> ...   (non-empty buckets)
 *         sbi-fuzz: legacy <k>, sanitized <k>, violations <v>, <t> us
 */
#include "csr.h"
#include "hostile.h"
#include "print.h"

#define NO_CHECK 1L /* not an SBI error code */

static const unsigned long known_eids[] = {
	SBI_EXT_BASE,
	SBI_EXT_TIME,
	SBI_EXT_IPI,
	SBI_EXT_RFENCE,
	SBI_EXT_HSM,
	SBI_EXT_SRST,
	SBI_EXT_DBCN,
	SBI_EXT_BULKHEAD,
	SBI_EXT_PMU,
	SBI_EXT_SUSP,
	SBI_EXT_CPPC,
	SBI_EXT_NACL,
	SBI_EXT_STA,
	SBI_EXT_SSE,
	SBI_EXT_FWFT,
	SBI_EXT_DBTR,
	SBI_EXT_MPXY,
	0x08000000UL /* experimental */,
	0x0A000000UL /* firmware-specific */,
	0x09000000UL /* vendor-specific */,
	0x0B48EAD1UL /* next to Bulkhead's */,
};
#define NKNOWN (sizeof(known_eids) / sizeof(known_eids[0]))

static unsigned long nharts;   /* virtual harts of this cell */
static char text_buf[256];     /* DBCN write buffers of this cell point here */
static char read_buf[256];     /* DBCN read buffers of this cell point here */
static unsigned long hist[11]; /* SUCCESS .. NO_SHMEM (0..-9), other */
static unsigned long legacy_calls, sanitized, violations;

static int supported(unsigned long eid)
{
	switch (eid) {
	case SBI_LEGACY_SET_TIMER:
	case SBI_LEGACY_CONSOLE_PUTCHAR:
	case SBI_LEGACY_CONSOLE_GETCHAR:
	case SBI_LEGACY_SHUTDOWN:
	case SBI_EXT_BASE:
	case SBI_EXT_TIME:
	case SBI_EXT_IPI:
	case SBI_EXT_RFENCE:
	case SBI_EXT_HSM:
	case SBI_EXT_SRST:
	case SBI_EXT_DBCN:
	case SBI_EXT_BULKHEAD: return 1;
	default: return 0;
	}
}

static int in_own_ram(unsigned long addr, unsigned long len)
{
	return addr >= HOSTILE_RAM_BASE && len <= HOSTILE_RAM_SIZE &&
	       addr - HOSTILE_RAM_BASE <= HOSTILE_RAM_SIZE - len;
}

/* 1 if (mask, base) names a hart outside the cell (SBI v2.0 ch. 3.2). */
static int mask_foreign(unsigned long mask, unsigned long base)
{
	unsigned long b;

	if (base == ~0UL)
		return 0;
	for (b = 0; b < 64UL; b++) {
		if (((mask >> b) & 1UL) == 0UL)
			continue;
		if (base >= nharts || b >= nharts - base)
			return 1;
	}
	return 0;
}

static unsigned long pick_arg(unsigned long *s)
{
	static const unsigned long mmio[] = {
		0x0c000000UL, 0x10000000UL, 0x00100000UL, 0x02000000UL, 0x10001000UL, 0x30000000UL,
	};
	unsigned long r = rng_next(s);

	switch ((r >> 8) % 16UL) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 2;
	case 3: return ~0UL;
	case 4: return rng_next(s) % 64UL;
	case 5: return rng_next(s);
	case 6: return 1UL << (rng_next(s) % 64UL);
	case 7: return HOSTILE_RAM_BASE + (rng_next(s) % HOSTILE_RAM_SIZE);
	case 8: return 0x80000000UL + (rng_next(s) % 0x80000000UL); /* host RAM */
	case 9: return mmio[rng_next(s) % (sizeof(mmio) / sizeof(mmio[0]))];
	case 10: return (unsigned long)sbifuzz_run; /* own code */
	case 11: return 0xffffffffUL;
	case 12: return 0x7fffffffffffffffUL;
	case 13: return 0x8000000000000000UL;
	case 14: return rng_next(s) & 0xffffffffUL;
	default: return (unsigned long)-(long)(rng_next(s) % 16UL);
	}
}

static const unsigned long implemented[] = {
	SBI_EXT_BASE,	      SBI_EXT_TIME,
	SBI_EXT_IPI,	      SBI_EXT_RFENCE,
	SBI_EXT_HSM,	      SBI_EXT_SRST,
	SBI_EXT_DBCN,	      SBI_EXT_BULKHEAD,
	SBI_LEGACY_SET_TIMER, SBI_LEGACY_CONSOLE_GETCHAR,
};
#define NIMPL (sizeof(implemented) / sizeof(implemented[0]))

/* Half the calls go to what Bulkhead implements, the rest anywhere. */
static unsigned long pick_eid(unsigned long *s)
{
	unsigned long r = rng_next(s) % 100UL;

	if (r < 50UL)
		return implemented[rng_next(s) % NIMPL];
	if (r < 65UL)
		return known_eids[rng_next(s) % NKNOWN];
	if (r < 80UL)
		return rng_next(s) % 16UL; /* legacy range */
	if (r < 92UL)
		return rng_next(s) & 0xffffffffUL;
	return rng_next(s);
}

/* Makes the call harmless to this cell's life; returns 1 if it changed it. */
static int sanitize(unsigned long *eid, unsigned long *fid, unsigned long *a)
{
	if (*eid == SBI_LEGACY_SHUTDOWN) {
		*eid = 0x09UL;
		return 1;
	}
	if (*eid == SBI_EXT_SRST && *fid == SBI_SRST_SYSTEM_RESET &&
	    a[0] <= SBI_SRST_TYPE_WARM_REBOOT) {
		a[0] = 3UL + (a[0] << 4); /* a reserved type: INVALID_PARAM */
		return 1;
	}
	if (*eid == SBI_EXT_HSM && *fid == SBI_HSM_HART_STOP) {
		*fid = SBI_HSM_HART_GET_STATUS;
		return 1;
	}
	if (*eid == SBI_EXT_HSM && *fid == SBI_HSM_HART_SUSPEND &&
	    (a[0] == SBI_HSM_SUSPEND_DEFAULT_RETENTIVE ||
	     a[0] == SBI_HSM_SUSPEND_DEFAULT_NON_RETENTIVE)) {
		a[0] = 0x10000000UL; /* reserved type */
		return 1;
	}
	if (*eid == SBI_EXT_DBCN &&
	    (*fid == SBI_DBCN_CONSOLE_WRITE || *fid == SBI_DBCN_CONSOLE_READ) && a[0] != 0UL &&
	    a[2] == 0UL && in_own_ram(a[1], 1)) {
		a[1] = (unsigned long)((*fid == SBI_DBCN_CONSOLE_WRITE) ? text_buf : read_buf);
		a[0] = (a[0] % 256UL) + 1UL;
		return 1;
	}
	return 0;
}

/* What the spec fixes for this call, or NO_CHECK. */
static long expected(unsigned long eid, unsigned long fid, const unsigned long *a)
{
	if (!supported(eid))
		return SBI_ERR_NOT_SUPPORTED;
	switch (eid) {
	case SBI_EXT_IPI:
		if (fid != SBI_IPI_SEND_IPI)
			return SBI_ERR_NOT_SUPPORTED;
		return mask_foreign(a[0], a[1]) ? SBI_ERR_INVALID_PARAM : SBI_SUCCESS;
	case SBI_EXT_RFENCE:
		if (fid <= SBI_RFENCE_SFENCE_VMA_ASID && mask_foreign(a[0], a[1]))
			return SBI_ERR_INVALID_PARAM;
		return NO_CHECK;
	case SBI_EXT_HSM:
		if ((fid == SBI_HSM_HART_START || fid == SBI_HSM_HART_GET_STATUS) && a[0] >= nharts)
			return SBI_ERR_INVALID_PARAM;
		if (fid == SBI_HSM_HART_START) /* every hart of the cell runs */
			return ((a[1] & 1UL) != 0UL || !in_own_ram(a[1], 2))
				       ? SBI_ERR_INVALID_ADDRESS
				       : SBI_ERR_ALREADY_AVAILABLE;
		return NO_CHECK;
	case SBI_EXT_DBCN:
		if ((fid == SBI_DBCN_CONSOLE_WRITE || fid == SBI_DBCN_CONSOLE_READ) &&
		    a[0] != 0UL && a[2] == 0UL) {
			unsigned long len = (a[0] > 256UL) ? 256UL : a[0];

			return in_own_ram(a[1], len) ? SBI_SUCCESS : SBI_ERR_INVALID_PARAM;
		}
		return NO_CHECK;
	case SBI_EXT_BULKHEAD:
		if (fid != SBI_BULKHEAD_GET_COUNTER && fid != SBI_BULKHEAD_GET_EXITS)
			return SBI_ERR_NOT_SUPPORTED;
		return (a[0] >= nharts) ? SBI_ERR_INVALID_PARAM : NO_CHECK;
	case SBI_EXT_TIME: return (fid == SBI_TIME_SET_TIMER) ? SBI_SUCCESS : SBI_ERR_NOT_SUPPORTED;
	default: return NO_CHECK;
	}
}

static void violation(unsigned long eid, unsigned long fid, const unsigned long *a, long got,
		      long want)
{
	violations++;
	if (violations <= 8UL)
		say("sbi-fuzz: violation eid %x fid %x a0 %x a1 %x a2 %x: error %d, want %d", eid,
		    fid, a[0], a[1], a[2], got, want);
}

static void one_call(unsigned long *s)
{
	unsigned long eid = pick_eid(s);
	unsigned long fid = ((rng_next(s) % 100UL) < 85UL) ? rng_next(s) % 8UL : pick_arg(s);
	unsigned long a[6];
	struct sbiret r;
	unsigned long i;
	long want;

	for (i = 0; i < 6UL; i++)
		a[i] = pick_arg(s);
	if (sanitize(&eid, &fid, a))
		sanitized++;
	want = expected(eid, fid, a);
	r = sbi_ecall(eid, fid, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (eid == SBI_LEGACY_SET_TIMER || eid == SBI_LEGACY_CONSOLE_PUTCHAR ||
	    eid == SBI_LEGACY_CONSOLE_GETCHAR) {
		legacy_calls++; /* a0 is a value, not an error */
		return;
	}
	if (r.error <= 0 && r.error >= -9)
		hist[-r.error]++;
	else
		hist[10]++;
	if (r.error > 0 || r.error < -9)
		violation(eid, fid, a, r.error, want);
	else if (want != NO_CHECK && r.error != want)
		violation(eid, fid, a, r.error, want);
	else if (eid == SBI_EXT_BASE && fid == SBI_BASE_PROBE_EXTENSION &&
		 r.value != (long)supported(a[0]))
		violation(eid, fid, a, r.value, supported(a[0]));
}

static const char *const err_names[] = {
	"SUCCESS",	     "FAILED",		"NOT_SUPPORTED",
	"INVALID_PARAM",     "DENIED",		"INVALID_ADDRESS",
	"ALREADY_AVAILABLE", "ALREADY_STARTED", "ALREADY_STOPPED",
	"NO_SHMEM",	     "other",
};

/* "NAME=<k> ..." of the non-empty buckets, NUL-terminated. */
static void histogram(struct pbuf *pb)
{
	unsigned long i;

	pb_init(pb);
	for (i = 0; i < sizeof(hist) / sizeof(hist[0]); i++) {
		if (hist[i] == 0UL)
			continue;
		if (pb->len != 0UL)
			pb_char(pb, ' ');
		pb_str(pb, err_names[i]);
		pb_char(pb, '=');
		pb_udec(pb, hist[i]);
	}
	if (pb->len >= PBUF_SIZE)
		pb->len = PBUF_SIZE - 1UL;
	pb->buf[pb->len] = '\0';
}

void sbifuzz_run(void)
{
	unsigned long seed = word_value("seed=", 0x5eedUL);
	unsigned long calls = word_value("calls=", 10000UL);
	unsigned long s = seed ? seed : 1UL;
	unsigned long i, t0, t1;
	struct pbuf h;

	for (i = 0; i < sizeof(text_buf); i++)
		text_buf[i] = (char)('a' + (i % 26UL));
	for (nharts = 0; nharts < 64UL; nharts++) {
		struct sbiret r =
			sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, nharts, 0, 0, 0, 0, 0);
		if (r.error != SBI_SUCCESS)
			break;
	}
	/* Every hart of the cell runs: a fuzzed hart_start must never succeed. */
	if (nharts > 1UL)
		receiver_start();
	say("sbi-fuzz: start: %u calls, seed %x, %u harts", calls, seed, nharts);
	csr_write(sie, 0);
	t0 = rdtime();
	for (i = 0; i < calls; i++)
		one_call(&s);
	t1 = rdtime();
	/* Whatever the fuzz did to this hart's timer and software interrupt. */
	(void)sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, ~0UL, 0, 0, 0, 0, 0);
	csr_clear(sip, SIP_SSIP);
	histogram(&h);
	say(""); /* ends whatever the fuzzed putchar calls left on the line */
	say("sbi-fuzz: %u calls, seed %x, errors %s", calls, seed, h.buf);
	say("sbi-fuzz: legacy %u, sanitized %u, violations %u, %u us", legacy_calls, sanitized,
	    violations, (t1 - t0) / 10UL);
	say("sbi-fuzz: spec version %x afterwards",
	    (unsigned long)sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0)
		    .value);
	if (nharts > 1UL)
		say("sbi-fuzz: vhart 1 took %u software interrupts", receiver_report());
}
