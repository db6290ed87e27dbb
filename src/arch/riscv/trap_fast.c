/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exits a running guest makes thousands of times a second, completed
 * with only part of its registers saved: SBI calls (bh_sbi_dispatch_fast,
 * sbi.c) and loads and stores to its emulated devices (here). On such an
 * exit trap_entry.S first saves ra, sp, tp, t0-t6 and a0-a7, the registers C
 * code may change (RISC-V psABI, "Integer Register Convention"), for a
 * device store whose source is gp or one of s0-s11 also those, and calls
 * the fast path. That answers the frame to resume (a store: 0, and the
 * entry completes it), as the general path does, or declines: the
 * entry then saves the rest and takes the general path (trap.c) exactly as
 * if the fast path had not run, since a fast path changes nothing when it
 * declines. sepc and the other trap CSRs stay in place: no guarded access
 * (which would trap and overwrite them) happens on a fast path.
 */
#include <stddef.h>
#include <stdint.h>
#include "arch/cpu.h"
#include "arch/csr.h"
#include "arch/insn_decode.h"
#include "bulkhead/exits.h"
#include "bulkhead/hart.h"
#include "bulkhead/stat_counts.h"

/* trap_entry.S: scause said a load (fast_load) or a store (fast_store) guest-page fault. */
struct bh_trap_frame *bh_trap_fast_load(struct bh_hart *h);
int bh_trap_fast_store(struct bh_hart *h, uint64_t *source);

/* gp, s0-s1 and s2-s11: the registers C code preserves (psABI), which the
 * entry leaves in place for a device load (trap_entry.S, fast_load). */
#define CALLEE_SAVED_REGS ((1UL << 3) | (1UL << 8) | (1UL << 9) | (0x3ffUL << 18))

/* htval holds the guest-physical address shifted right by 2 (priv spec 18.2.11). */
static inline uint64_t fault_gpa(void)
{
    return (csr_read(CSR_HTVAL) << 2) | (csr_read(CSR_STVAL) & 3UL);
}

/* The load is done: the guest resumes past its instruction (a store's
 * entry does the same, trap_entry.S). htinst is read again rather than kept
 * across the device's call (one register fewer to save): nothing on a fast
 * path traps, so it is still the trap's. */
static inline struct bh_trap_frame *fast_done(struct bh_hart *h)
{
    uint64_t pc = csr_read(CSR_SEPC);
    uint32_t insn = (uint32_t)csr_read(CSR_HTINST);
    csr_write(CSR_SEPC, pc + riscv_htinst_length(insn));
    bh_stat_exit(&h->stats);
    return &h->frame;
}

/*
 * Only the transformed instruction the hart wrote to htinst: reading the
 * instruction from guest memory is a guarded access. The entry calls the
 * load's and the store's function directly.
 */
struct bh_trap_frame *bh_trap_fast_load(struct bh_hart *h)
{
    uint32_t insn = (uint32_t)csr_read(CSR_HTINST);
    uint32_t funct3 = riscv_htinst_load_funct3(insn);
    uint32_t rd = (insn >> 7) & 0x1fU;

    /* A load into a register the entry did not save: its result would not
     * reach the guest. The general path saves every register first. */
    if ((funct3 == RISCV_NOT_FAST) || (((CALLEE_SAVED_REGS >> rd) & 1UL) != 0UL)) {
        return NULL;
    }
    uint64_t value = 0U;
    if (bh_mmio_access(h, fault_gpa(), 1U << (funct3 & 3U), 0U, &value) != 0) {
        return NULL;
    }
    /* h again from tp (the entry passed tp) rather than kept across the
     * device's call: one register fewer to save. */
    struct bh_hart *self = arch_this_hart();
    /* x0 is never written */
    if (rd != 0U) {
        self->frame.x[rd] = riscv_load_funct3_value(funct3, value);
    }
    return fast_done(self);
}

/* 0 if the store was emulated; the entry then completes it (sepc, the exit
 * count). Nothing is left to do here after the device, so the device's call
 * is the last: this function keeps no frame. source is the frame's slot of
 * the store's source register, rs2 of htinst, which the entry decoded to
 * decide what to save (x0's slot, never written, reads 0). */
int bh_trap_fast_store(struct bh_hart *h, uint64_t *source)
{
    uint32_t insn = (uint32_t)csr_read(CSR_HTINST);
    uint32_t funct3 = riscv_htinst_store_funct3(insn);

    if (funct3 == RISCV_NOT_FAST) {
        return -1;
    }
    /* The device only reads it: a store writes no *value. */
    return bh_mmio_access(h, fault_gpa(), 1U << funct3, 1U, source);
}
