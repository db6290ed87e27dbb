/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Latency vector of the bench guest (cells/bench/main.c).
 *
 * While a timer-latency sample is taken, stvec points here instead of the
 * shared C handler, so that `instret` and `time` are read within the first
 * instructions of the trap (RISC-V privileged spec, "stvec": direct mode,
 * 4-byte aligned).  sscratch holds the address of a struct lat_rec:
 *   0  saved t1        8  instret at entry    16  time at entry
 *   24 done flag (1)
 * The timer is disarmed by writing stimecmp = -1 (Sstc spec: the pending
 * bit follows time >= stimecmp), which also ends an SBI-programmed
 * deadline: natively OpenSBI and in a cell Bulkhead program the same
 * (v)stimecmp the guest sees as stimecmp.
 *
 * Only the boot hart (slot 0) takes a timer interrupt, and only while a
 * latency sample runs; every other trap goes through trap_entry.S.
 */
#define CSR_STIMECMP 0x14d

	.text
	.globl	lat_vector
	.balign	4
lat_vector:
	csrrw	t0, sscratch, t0	/* t0 = &lat_rec, sscratch = guest t0 */
	sd	t1, 0(t0)
	rdinstret t1
	sd	t1, 8(t0)
	rdtime	t1
	sd	t1, 16(t0)
	li	t1, -1
	csrw	CSR_STIMECMP, t1
	li	t1, 1
	sd	t1, 24(t0)
	ld	t1, 0(t0)
	csrrw	t0, sscratch, t0	/* t0 back, sscratch = &lat_rec again */
	sret
