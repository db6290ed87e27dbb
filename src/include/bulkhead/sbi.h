/* SPDX-License-Identifier: Apache-2.0 */
/* The SBI a cell sees (SBI spec v2.0). Hart ids and masks are virtual. */
#ifndef BULKHEAD_SBI_H
#define BULKHEAD_SBI_H

#include <stdint.h>
#include "bulkhead/abi.h" /* SBI_EXT_BULKHEAD and its functions */
#include "bulkhead/hart.h"
#include "bulkhead/sbi_defs.h"
#include "bulkhead/sbi_result.h"

/* The guest's ecall exit: one SBI call, dispatched by extension id (sbi.c). */
void bh_sbi_dispatch(struct bh_hart *h);
/* The same on the exit's fast path: trap_entry.S calls it having saved only
 * the registers C code may change, with sepc still in its CSR (trap_fast.c
 * says why that is enough). The frame to resume (h's) if the call was
 * handled (sepc advanced, exit counted); NULL (nothing done) if it needs the
 * general path - a call that parks the hart, stops a cell or reads guest
 * memory. */
struct bh_trap_frame *bh_sbi_dispatch_fast(struct bh_hart *h);

struct sbi_result bh_sbi_base(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_time(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_ipi(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_rfence(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_hsm(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_srst(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_dbcn(struct bh_hart *h, uint64_t fid, const uint64_t *args);
struct sbi_result bh_sbi_bulkhead(struct bh_hart *h, uint64_t fid, const uint64_t *args);
/* Legacy v0.1 calls return their value in a0 only (SBI spec ch. 5). */
long bh_sbi_legacy(struct bh_hart *h, uint64_t eid, const uint64_t *args);

/* BASE probe_extension: value 1 if the extension is implemented for guests, else 0. */
struct sbi_result bh_sbi_probe(uint64_t eid);

#endif
