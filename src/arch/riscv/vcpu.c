/* SPDX-License-Identifier: Apache-2.0 */
/* vCPU state on entry and reset. RISC-V privileged spec ch. 18 (H extension). */
#include "arch/cpu.h"
#include "arch/csr.h"
#include "arch/regs.h"
#include "arch/sbi_firmware.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/hostirq.h"
#include "bulkhead/lib.h"

extern void bh_vcpu_resume(struct bh_trap_frame *frame) __attribute__((noreturn));

#define HSTATUS_GUEST_CONTROLS \
    ((1UL << 5) /* VSBE */ | (1UL << 6) /* GVA */ | HSTATUS_SPV | HSTATUS_SPVP | (1UL << 9) /* HU */ | \
     (0x3fUL << HSTATUS_VGEIN_SHIFT) | (1UL << 20) /* VTVM */ | (1UL << 21) /* VTW */ | (1UL << 22) /* VTSR */)

/* Exceptions a guest handles itself (priv spec 18.2.2): never the ones that
 * name guest-physical addresses or ecalls from VS, which are the hypervisor's. */
#define HEDELEG_GUEST \
    ((1UL << CAUSE_MISALIGNED_FETCH) | (1UL << CAUSE_ILLEGAL_INSN) | (1UL << CAUSE_BREAKPOINT) | \
     (1UL << CAUSE_MISALIGNED_LOAD) | (1UL << CAUSE_MISALIGNED_STORE) | (1UL << CAUSE_USER_ECALL) | \
     (1UL << CAUSE_FETCH_PAGE_FAULT) | (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT))

void arch_hart_init(const struct bh_hart *h)
{
    csr_write(CSR_HEDELEG, HEDELEG_GUEST);
    /* VS-level interrupts go straight to the guest: Sstc timer and injected IRQs. */
    csr_write(CSR_HIDELEG, MIP_VSSIP | MIP_VSTIP | MIP_VSEIP);
    csr_write(CSR_HCOUNTEREN, HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR);
    /* Sstc spec: with STCE the guest's stimecmp writes go to vstimecmp, no exit. */
    csr_write(CSR_HENVCFG, HENVCFG_STCE);
    csr_write(CSR_HTIMEDELTA, 0);
    csr_write(CSR_HGEIE, 0);
    if (h->cell != BH_NO_CELL) {
        csr_write(CSR_HGATP, bh_hart_cell(h)->hgatp);
    }
    hfence_gvma_all();
    csr_write(CSR_SIE, MIP_SSIP | MIP_SEIP);
}

void arch_vcpu_quiesce(void)
{
    csr_write(CSR_HVIP, 0);
    csr_write(CSR_VSTIMECMP, ~0UL);
}

void arch_vcpu_reset(struct bh_hart *h, uint64_t pc, uint64_t a0, uint64_t a1)
{
    struct bh_trap_frame *f = &h->frame;

    (void)memset(f->x, 0, sizeof(f->x));
    f->x[REG_A0] = a0;
    f->x[REG_A1] = a1;
    f->sepc = pc;
    /* sret lands in VS-mode (SPV=1, SPP=1); FS non-off at HS level lets the guest use its FPU. */
    f->sstatus = SSTATUS_SPP | SSTATUS_FS_DIRTY;
    f->hstatus = (csr_read(CSR_HSTATUS) & ~HSTATUS_GUEST_CONTROLS) | HSTATUS_SPV | HSTATUS_SPVP;
    /* hstatus.VGEIN (priv spec 18.2.1): the IMSIC guest interrupt file bhconfig gave this
     * vCPU; the guest's vstopei/vsireg reach it and its pending bits raise VSEIP (AIA spec
     * 6.3.1), with no exit. 0 on harts of PLIC-only cells: no file. */
    f->hstatus |= ((unsigned long)bh_harts[h->hartid].vgein << HSTATUS_VGEIN_SHIFT);
    csr_write(CSR_HSTATUS, f->hstatus);
    hostirq_guest_file_reset(bh_harts[h->hartid].vgein);

    csr_write(CSR_VSSTATUS, 0);
    csr_write(CSR_VSIE, 0);
    csr_write(CSR_HIE, 0);
    csr_write(CSR_VSTVEC, 0);
    csr_write(CSR_VSSCRATCH, 0);
    csr_write(CSR_VSEPC, 0);
    csr_write(CSR_VSCAUSE, 0);
    csr_write(CSR_VSTVAL, 0);
    csr_write(CSR_VSATP, 0);
    arch_vcpu_quiesce();
    bh_hart_set_vseip(h, 0U);
    csr_set(CSR_SIE, MIP_SEIP);
    hfence_vvma_all();
    /* The code the vCPU starts in may have been written by another hart (a
     * restart reloads the image on one hart and starts the others by HSM):
     * fence.i orders only the executing hart's own fetches (unprivileged
     * spec, "Zifencei"), so every hart does it before it enters. */
    fence_i();
}

void arch_vcpu_enter(struct bh_hart *h)
{
    bh_vcpu_resume(&h->frame);
}

void arch_set_guest_external_irq(uint32_t on)
{
    if (on != 0U) {
        csr_set(CSR_HVIP, MIP_VSEIP);
    } else {
        csr_clear(CSR_HVIP, MIP_VSEIP);
    }
}

void arch_enable_external_irq(uint32_t on)
{
    if (on != 0U) {
        csr_set(CSR_SIE, MIP_SEIP);
    } else {
        csr_clear(CSR_SIE, MIP_SEIP);
    }
}

void arch_raise_guest_software_irq(void)
{
    csr_set(CSR_HVIP, MIP_VSSIP);
}

void arch_set_guest_timer(uint64_t deadline)
{
    csr_write(CSR_VSTIMECMP, deadline);
}

void arch_send_ipi(uint32_t hartid)
{
    volatile uint32_t *setssip = (volatile uint32_t *)(uintptr_t)bh_harts[hartid].sswi;

    if (setssip != NULL) {
        /* ACLINT SSWI (ACLINT spec 5.1): raises the hart's SSIP without the firmware. */
        fence_w_o();
        *setssip = 1U;
    } else {
        /* hart_mask_base = the hart itself: any hart id, no shift (SBI spec v2.0 3.2). */
        (void)sbi_fw_send_ipi(1UL, hartid);
    }
}

uint64_t arch_time_now(void)
{
    return arch_time_now_inline();
}

/* Sstc: stimecmp raises the hart's own supervisor timer interrupt (Sstc spec,
 * "stimecmp"); it is enabled in sie only while a wakeup is set. */
void arch_set_wakeup(uint64_t deadline)
{
    csr_write(CSR_STIMECMP, deadline);
    if (deadline != ARCH_NO_WAKEUP) {
        csr_set(CSR_SIE, MIP_STIP);
    } else {
        csr_clear(CSR_SIE, MIP_STIP);
    }
}

void arch_wait_for_interrupt(void)
{
    wait_for_interrupt();
}

uint32_t arch_take_software_irq(void)
{
    if ((csr_read(CSR_SIP) & MIP_SSIP) == 0U) {
        return 0;
    }
    csr_clear(CSR_SIP, MIP_SSIP);
    return 1;
}

uint32_t arch_external_irq_pending(void)
{
    return ((csr_read(CSR_SIP) & MIP_SEIP) != 0U) ? 1U : 0U;
}

void arch_halt(void)
{
    csr_write(CSR_SIE, 0);
    for (;;) {
        wait_for_interrupt();
    }
}
