/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipi-flood: SBI IPI, RFENCE, HSM and Bulkhead calls that name harts the
 * cell does not own (each must fail: INVALID_PARAM, SBI v2.0 ch. 3.2), then
 * a bounded flood of IPIs and remote fences to the cell's own harts.
 *
 * Output:  ipi-flood: foreign <n> tried, <d> refused, violations <v>
 *          ipi-flood: flood <i> IPIs and <f> remote fences in <us> us,
 *                     errors <e>, vhart 1 took <k> software interrupts
 */
#include "csr.h"
#include "hostile.h"

#define FLOOD_IPIS   10000UL
#define FLOOD_FENCES 2000UL

/* ------------------------------------------------ virtual hart 1: receiver */

static volatile int receiver_up;
static volatile unsigned long report_req, report_done, report_value;

static void receiver(void)
{
	csr_set(sie, SIE_SSIE);
	receiver_up = 1;
	csr_set(sstatus, SSTATUS_SIE);
	for (;;) {
		__asm__ volatile("wfi");
		if (report_req != report_done) {
			report_value = ssi_taken[1];
			__asm__ volatile("fence rw, rw" ::: "memory");
			report_done = report_req;
		}
	}
}

void receiver_start(void)
{
	unsigned long i;

	if (receiver_up)
		return;
	if (start_second_hart(receiver) != SBI_SUCCESS) {
		say("hostile: could not start vhart 1");
		return;
	}
	for (i = 0; i < 100000000UL && !receiver_up; i++)
		;
}

unsigned long receiver_report(void)
{
	unsigned long want = report_req + 1UL;
	unsigned long i;

	report_req = want;
	for (i = 0; i < 100000000UL && report_done != want; i++) {
		if ((i % 100000UL) == 0UL) /* wake it: counted like any other */
			(void)sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 2UL, 0, 0, 0, 0, 0);
	}
	return report_value;
}

/* ------------------------------------------------------------ the attack */

static unsigned long tried, refused, violations;

static void expect(const char *what, unsigned long x, struct sbiret r, long want)
{
	tried++;
	if (r.error == want) {
		refused++;
		return;
	}
	violations++;
	say("ipi-flood: violation: %s %x: error %d, want %d", what, x, r.error, want);
}

static unsigned long count_harts(void)
{
	unsigned long n;

	for (n = 0; n < 64UL; n++) {
		if (sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, n, 0, 0, 0, 0, 0).error != 0)
			break;
	}
	return n;
}

static void foreign(unsigned long n)
{
	static const unsigned long bases[] = {
		0 /* filled: n */, 0 /* n + 1 */, 63, 64, 1000, 1UL << 62, 0xfffffffffffffffeUL,
	};
	unsigned long b, i, mask_all = ~0UL;
	const unsigned long entry = (unsigned long)ipiflood_run;

	for (b = n; b < 64UL; b++)
		expect("send_ipi mask", 1UL << b,
		       sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << b, 0, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		unsigned long base = (i == 0) ? n : (i == 1) ? n + 1UL : bases[i];

		expect("send_ipi base", base,
		       sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1, base, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
	}
	expect("send_ipi mask", ~0UL, sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, ~0UL, 0, 0, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("send_ipi base 1 mask", 1UL << 63,
	       sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, 1UL << 63, 1, 0, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("remote_fence_i mask", 1UL << n,
	       sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, 1UL << n, 0, 0, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("remote_sfence_vma mask", ~0UL,
	       sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, ~0UL, 0, 0, ~0UL, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("remote_sfence_vma_asid mask", 1UL << (n + 1UL),
	       sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1UL << (n + 1UL), 0, 0, ~0UL,
			 0, 0),
	       SBI_ERR_INVALID_PARAM);
	for (b = n; b < n + 4UL; b++) {
		expect("hart_start", b,
		       sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, b, entry, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
		expect("hart_status", b,
		       sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, b, 0, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
		expect("bulkhead get_exits", b,
		       sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_EXITS, b, 0, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
		expect("bulkhead get_counter", b,
		       sbi_ecall(SBI_EXT_BULKHEAD, SBI_BULKHEAD_GET_COUNTER, b, 0, 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM);
	}
	/* Legacy send_ipi (EID 4) takes a pointer to a mask: not offered at all. */
	expect("legacy send_ipi", 4,
	       sbi_ecall(SBI_LEGACY_SEND_IPI, 0, (unsigned long)&mask_all, 0, 0, 0, 0, 0),
	       SBI_ERR_NOT_SUPPORTED);
	say("ipi-flood: foreign %u tried, %u refused, violations %u", tried, refused, violations);
}

void ipiflood_run(void)
{
	unsigned long n = count_harts();
	unsigned long i, errors = 0, before, after, t0, t1;
	unsigned long own = (n >= 2UL) ? 3UL : 1UL;

	say("ipi-flood: start: %u harts", n);
	csr_write(sie, 0);
	foreign(n);
	if (n >= 2UL)
		receiver_start();
	before = (n >= 2UL) ? receiver_report() : 0UL;
	t0 = rdtime();
	for (i = 0; i < FLOOD_IPIS; i++) {
		/* alternately vhart 1 alone (or self) and every hart of the cell */
		unsigned long mask = ((i & 1UL) == 0UL) ? (own & 2UL ? 2UL : 1UL) : 0UL;
		unsigned long base = ((i & 1UL) == 0UL) ? 0UL : ~0UL;

		if (sbi_ecall(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0, 0, 0, 0).error != 0)
			errors++;
	}
	for (i = 0; i < FLOOD_FENCES; i++) {
		if (sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, own, 0, 0, 0, 0, 0).error != 0)
			errors++;
	}
	t1 = rdtime();
	after = (n >= 2UL) ? receiver_report() : 0UL;
	csr_clear(sip, SIP_SSIP);
	say("ipi-flood: flood %u IPIs and %u remote fences in %u us, errors %u, vhart 1 took %u "
	    "software interrupts",
	    FLOOD_IPIS, FLOOD_FENCES, (t1 - t0) / 10UL, errors, after - before);
}
