/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exits a running guest makes thousands of times a second, completed
 * with only part of its registers saved: SBI calls (bh_sbi_dispatch_fast,
 * sbi.c) and loads and stores to its emulated devices (here). On such an
 * exit trap_entry.S first saves ra, sp, tp, t0-t6 and a0-a7, the registers C
 * code may change (RISC-V psABI, "Integer Register Convention"), for a
 * device access also gp and s0-s11 (any register may be its operand), and
 * calls the fast path. When that answers 0 the entry saves the rest and takes the
 * general path (trap.c) exactly as if the fast path had not run: a fast path
 * changes nothing when it declines. sepc stays in its CSR: no guarded access
 * (which would trap and overwrite it) happens on a fast path.
 */
#include <stdint.h>
#include "arch/csr.h"
#include "arch/insn_decode.h"
#include "arch/mmio_emulate.h"
#include "bulkhead/hart.h"
#include "bulkhead/stat_counts.h"

uint64_t bh_trap_fast_mmio(struct bh_hart *h, uint64_t cause);

uint64_t bh_trap_fast_mmio(struct bh_hart *h, uint64_t cause)
{
    /* Only the transformed instruction the hart wrote to htinst (bit 0 set,
     * priv spec 18.6.3): reading it from guest memory is a guarded access. */
    uint64_t htinst = csr_read(CSR_HTINST);
    struct mmio_insn mi = {0U, 0U, 0U, 0U, 0U}; /* set by riscv_decode_mmio whenever it answers 0 */

    if (((htinst & 1UL) == 0UL) || (riscv_decode_mmio((uint32_t)htinst, 1, &mi) != 0)) {
        return 0;
    }
    if (((cause == CAUSE_STORE_GUEST_PF) ? 1U : 0U) != mi.is_store) {
        return 0;
    }
    /* htval holds the guest-physical address shifted right by 2 (priv spec 18.2.11). */
    uint64_t gpa = (csr_read(CSR_HTVAL) << 2) | (csr_read(CSR_STVAL) & 3UL);
    if (riscv_mmio_emulate(h, gpa, &mi) != 0) {
        return 0;
    }
    uint64_t pc = csr_read(CSR_SEPC);
    csr_write(CSR_SEPC, pc + mi.length);
    bh_stat_exit(&h->stats);
    return 1;
}
