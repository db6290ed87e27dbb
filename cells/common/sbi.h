/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBI calls for the test guests (RISC-V SBI specification v2.0).
 *
 * Calling convention (SBI v2.0 ch. 3 "Binary Encoding"): ecall with the
 * extension id in a7, the function id in a6, arguments in a0-a5; the
 * result is the pair (error in a0, value in a1).  The legacy extensions
 * (ch. 5, EIDs 0x00-0x0F) ignore a6 and return one value in a0.
 */
#ifndef CELLS_SBI_H
#define CELLS_SBI_H

/* The numbers (errors, extension and function ids, HSM states) are the
 * hypervisor's own definitions: src/include/bulkhead/sbi_defs.h for the SBI
 * spec's, src/include/bulkhead/abi.h for Bulkhead's extension and counters. */
#include "bulkhead/abi.h"
#include "bulkhead/sbi_defs.h"

struct sbiret {
	long error;
	long value;
};

/* An SBI v0.2+ call: a7 = eid, a6 = fid, a0..a5 = arguments. */
struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2, unsigned long arg3,
			unsigned long arg4, unsigned long arg5);

/* A legacy (v0.1) call: a7 = eid, one argument in a0, result from a0. */
long sbi_legacy(unsigned long eid, unsigned long arg0);

/* Legacy set_timer (EID 0x00): absolute `time` value of the next event;
 * it also clears the pending timer interrupt (SBI v2.0 ch. 5.1). */
void sbi_legacy_set_timer(unsigned long stime_value);

/* "SUCCESS", "NOT_SUPPORTED", ... or "?" for an unknown code. */
const char *sbi_err_name(long err);

#endif
