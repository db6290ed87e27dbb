/* SPDX-License-Identifier: Apache-2.0 */
/* Trap dispatch: decode scause (priv spec 18.6) and hand over to generic code. */
#include "arch/cpu.h"

#include <stddef.h>
#include "arch/csr.h"
#include "arch/insn_decode.h"
#include "arch/mmio_emulate.h"
#include "bulkhead/exits.h"
#include "bulkhead/hart_park.h"
#include "bulkhead/irq.h"
#include "bulkhead/sbi.h"
#include "bulkhead/log.h"
#include "bulkhead/stat_counts.h"

struct bh_trap_frame *bh_trap_from_guest(struct bh_trap_frame *frame);
void bh_trap_from_hypervisor(uint64_t *regs);

/* Reads a guest instruction at its virtual pc with the guest's translation;
 * a fault there is tolerated through the probe mechanism. */
static int read_guest_insn(struct bh_hart *h, uint64_t pc, uint32_t *insn)
{
    uint64_t lo = 0;
    uint64_t hi = 0;

    h->probe_trapped = 0;
    h->probe_active = 1;
    lo = hlvx_hu(pc);
    if (((lo & 3UL) == 3UL) && (h->probe_trapped == 0U)) {
        hi = hlvx_hu(pc + 2UL);
    }
    h->probe_active = 0;
    *insn = (uint32_t)(lo | (hi << 16));
    return (h->probe_trapped == 0U) ? 0 : -1;
}

/* The trap CSRs as they were when the guest trapped: read once, before
 * anything (a guarded hlvx in read_guest_insn) can overwrite them. */
static void fault_with(struct bh_hart *h, uint64_t cause, const char *why, uint64_t stval, uint64_t htval,
                       uint64_t htinst)
{
    struct bh_fault_info f = {
        .cause = cause,
        .sepc = h->frame.sepc,
        .stval = stval,
        .htval = htval,
        .htinst = htinst,
        .gpa_valid =
            ((cause == CAUSE_FETCH_GUEST_PF) || (cause == CAUSE_LOAD_GUEST_PF) || (cause == CAUSE_STORE_GUEST_PF)) ? 1U
                                                                                                                   : 0U,
        .why = why,
    };
    bh_guest_fault(h, &f);
}

static void fault(struct bh_hart *h, uint64_t cause, const char *why)
{
    fault_with(h, cause, why, csr_read(CSR_STVAL), csr_read(CSR_HTVAL), csr_read(CSR_HTINST));
}

static void guest_page_fault(struct bh_hart *h, uint64_t cause)
{
    uint64_t stval = csr_read(CSR_STVAL);
    uint64_t htval = csr_read(CSR_HTVAL);
    uint64_t htinst = csr_read(CSR_HTINST);
    /* htval holds the guest-physical address shifted right by 2 (priv spec 18.2.11). */
    uint64_t gpa = (htval << 2) | (stval & 3UL);
    struct mmio_insn mi = {0U, 0U, 0U, 0U, 0U}; /* set by riscv_decode_mmio whenever it answers 0 */
    uint32_t insn = (uint32_t)htinst;
    int from_htinst = 0;
    if ((htinst & 1UL) != 0UL) {
        from_htinst = 1;
    }

    if (cause == CAUSE_FETCH_GUEST_PF) {
        fault_with(h, cause, "instruction fetch outside the cell's memory", stval, htval, htinst);
    }
    /* A non-zero htinst with bit 0 clear is a pseudoinstruction (priv spec 18.6.3):
     * the guest's own VS-stage page-table walk touched gpa, not the instruction at
     * sepc. Emulating that instruction at the PTE's address would be wrong. */
    if ((htinst != 0UL) && (from_htinst == 0)) {
        fault_with(h, cause, "guest page-table walk outside the cell's memory", stval, htval, htinst);
    }
    if ((from_htinst == 0) && (read_guest_insn(h, h->frame.sepc, &insn) != 0)) {
        fault_with(h, cause, "access outside the cell's memory (instruction unreadable)", stval, htval, htinst);
    }
    if ((riscv_decode_mmio(insn, from_htinst, &mi) != 0) || ((cause == CAUSE_STORE_GUEST_PF) != (mi.is_store != 0U))) {
        fault_with(h, cause, "access outside the cell's memory by an instruction that cannot be emulated", stval, htval,
                   htinst);
    }
    if (riscv_mmio_emulate(h, gpa, &mi) != 0) {
        fault_with(h, cause, "access outside the cell's memory and devices", stval, htval, htinst);
    }
    h->frame.sepc += mi.length;
}

struct bh_trap_frame *bh_trap_from_guest(struct bh_trap_frame *frame)
{
    /* trap_entry.S set tp to this hart's struct, whose first member is frame. */
    struct bh_hart *h = arch_this_hart();
    uint64_t cause = csr_read(CSR_SCAUSE);

    bh_stat_exit(&h->stats);
    if ((cause & CAUSE_INTERRUPT_BIT) != 0UL) {
        uint64_t irq = cause & ~CAUSE_INTERRUPT_BIT;
        if (irq == IRQ_S_EXT) {
            bh_irq_external(h);
        } else if (irq == IRQ_S_SOFT) {
            bh_hart_software_irq(h);
        } else if (irq == IRQ_S_TIMER) {
            bh_irq_wakeup(h);
        } else {
            bh_warn("hart %u: unexpected interrupt %lu", (unsigned)h->hartid, irq);
        }
        bh_dma_fault_take(h);
        return frame;
    }
    switch (cause) {
    case CAUSE_VS_ECALL:
        frame->sepc += 4UL;
        bh_sbi_dispatch(h);
        break;
    case CAUSE_LOAD_GUEST_PF:
    case CAUSE_STORE_GUEST_PF:
    case CAUSE_FETCH_GUEST_PF: guest_page_fault(h, cause); break;
    case CAUSE_VIRTUAL_INSN:
        bh_stat_inc(&h->stats, BH_STAT_VIRTUAL_INSN);
        fault(h, cause, "virtual instruction: a privileged instruction or CSR the cell may not use");
        break;
    default: fault(h, cause, "exception the hypervisor does not delegate"); break;
    }
    return frame;
}

/* regs: x1..x31 at their index, sepc at index 32 (trap_entry.S). */
void bh_trap_from_hypervisor(uint64_t *regs)
{
    struct bh_hart *h = arch_this_hart();
    uint64_t cause = csr_read(CSR_SCAUSE);

    if ((h != NULL) && (h->probe_active != 0U) && ((cause & CAUSE_INTERRUPT_BIT) == 0UL)) {
        /* A guarded access at boot or on a guest's behalf: report, skip the instruction. */
        h->probe_trapped = 1;
        regs[32] += 4UL;
        return;
    }
    bh_panic("hart %u: trap in the hypervisor: scause=0x%lx sepc=0x%lx stval=0x%lx sp=0x%lx ra=0x%lx",
             (h != NULL) ? (unsigned)h->hartid : 0U, cause, regs[32], csr_read(CSR_STVAL), regs[2], regs[1]);
}
