/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`): what the hart's CSRs and guest-memory reads
 * can give the hypervisor. Frama-C's EVA takes every value in each interval
 * (Frama_C_*_interval): the analysis covers all of them, not a sample.
 *
 * Assumes (RISC-V privileged spec v1.13):
 *  - scause after a trap: an interrupt (bit 63) with a code 0..15, or an
 *    exception code 0..23 (table 18.6: the codes the hart defines);
 *  - htval: a guest-physical address shifted right by 2; Sv39x4 gives 41-bit
 *    guest-physical addresses (18.5.1), so htval < 2^39;
 *  - every other CSR: any 64-bit value. A guest sets stval/htinst/vs* and the
 *    pending bits indirectly, the firmware sets time, so the model does not
 *    rely on what the hypervisor last wrote (a write is forgotten);
 *  - a CSR that may be absent on the hart (hgatp, henvcfg, vstimecmp: the
 *    ones isa_check.c probes) traps when accessed with probe_active set; the
 *    trap runs bh_trap_from_hypervisor's probe branch, whose effect (set
 *    probe_trapped) is applied here. The harness analyzes that function as an
 *    entry point of its own with any register and CSR values.
 *  - HLVX.HU: any 16 bits, or a guest page fault handled the same way.
 */
#include "__fc_builtin.h"
#include "arch/cpu.h"
#include "arch/csr.h"
#include "model.h"

struct bh_hart *bh_model_tp;

/* The trap a faulting probed access takes: bh_trap_from_hypervisor's probe branch. */
static void maybe_probe_trap(void)
{
    struct bh_hart *h = bh_model_tp;
    if ((h != NULL) && (h->probe_active != 0U) && (Frama_C_interval(0, 1) != 0)) {
        h->probe_trapped = 1;
    }
}

unsigned long bh_model_csr_read(unsigned int csr)
{
    unsigned long v;
    switch (csr) {
    case CSR_SCAUSE:
        if (Frama_C_interval(0, 1) != 0) {
            v = CAUSE_INTERRUPT_BIT | Frama_C_size_t_interval(0UL, 15UL);
        } else {
            v = Frama_C_size_t_interval(0UL, 23UL);
        }
        break;
    case CSR_HTVAL: v = Frama_C_size_t_interval(0UL, (1UL << 39) - 1UL); break;
    case CSR_HGATP:
    case CSR_HENVCFG:
    case CSR_VSTIMECMP:
        maybe_probe_trap();
        v = Frama_C_size_t_interval(0UL, ~0UL);
        break;
    default: v = Frama_C_size_t_interval(0UL, ~0UL); break;
    }
    return v;
}

void bh_model_csr_write(unsigned int csr, unsigned long val)
{
    (void)val;
    if ((csr == CSR_HENVCFG) || (csr == CSR_HGATP) || (csr == CSR_VSTIMECMP)) {
        maybe_probe_trap();
    }
}

uint64_t bh_model_hlvx_hu(uint64_t pc)
{
    (void)pc;
    maybe_probe_trap();
    return Frama_C_size_t_interval(0UL, 0xffffUL);
}

/* csrrw: the write is forgotten like any other, the old value is a read's. */
unsigned long bh_model_csr_swap(unsigned int csr, unsigned long val)
{
    unsigned long old = bh_model_csr_read(csr);
    bh_model_csr_write(csr, val);
    return old;
}
