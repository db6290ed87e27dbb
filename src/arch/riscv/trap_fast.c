/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SBI calls a running guest makes thousands of times a second - its
 * timer, IPIs, fences - completed with only part of its registers saved.
 * On an ecall from VS-mode, trap_entry.S first saves ra, sp, tp, t0-t6 and
 * a0-a7, the registers C code may change (RISC-V psABI, "Integer Register
 * Convention"), and calls bh_trap_fast_ecall. When that answers 0 the entry
 * saves the rest and takes the general path (trap.c) exactly as if the fast
 * path had not run: bh_sbi_dispatch_fast changes nothing when it declines.
 * sepc stays in its CSR: no guarded access (which would trap and overwrite
 * it) happens on this path.
 */
#include <stdint.h>
#include "arch/cpu.h"
#include "arch/csr.h"
#include "bulkhead/sbi.h"
#include "bulkhead/stats.h"

uint64_t bh_trap_fast_ecall(struct bh_hart *h);

uint64_t bh_trap_fast_ecall(struct bh_hart *h)
{
    if (bh_sbi_dispatch_fast(h) == 0U) {
        return 0;
    }
    /* The guest resumes after its ecall (a 4-byte instruction). */
    uint64_t pc = csr_read(CSR_SEPC);
    csr_write(CSR_SEPC, pc + 4UL);
    bh_stat_exit(h->hartid);
    return 1;
}
