/* SPDX-License-Identifier: Apache-2.0 */
/* The few CPU operations generic code needs, behind names that say what they do. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include "arch/csr.h"
#include "bulkhead/hart.h"

/* arch_this_hart()/arch_set_this_hart(): tp (inline assembly, apart for `make prove`). */
#include "arch/this_hart.h"

/* After an ecall finished on the exit's fast path (trap_entry.S), where
 * sepc stays in its CSR: the guest resumes after the 4-byte ecall. */
static inline void arch_fast_ecall_done(void)
{
    uint64_t pc = csr_read(CSR_SEPC);
    csr_write(CSR_SEPC, pc + 4UL);
}

/* Parks the calling hart for good, interrupts ignored. */
void arch_halt(void) __attribute__((noreturn));
/* Resets the vCPU of this hart to start at pc with a0/a1, guest CSRs cleared,
 * and synchronises this hart's instruction fetches with memory. */
void arch_vcpu_reset(struct bh_hart *h, uint64_t pc, uint64_t a0, uint64_t a1);
/* Enters (or re-enters) the guest on this hart; never returns. */
void arch_vcpu_enter(struct bh_hart *h) __attribute__((noreturn));
/* Runs the hart's park loop (bh_hart_park_loop, hart_park.h) from the top of
 * its hypervisor stack, every frame of the caller dropped (park.S). Owner. */
void arch_park(struct bh_hart *h) __attribute__((noreturn));
/* Clears the guest's pending interrupts and stops its timer, for a parked vCPU. */
void arch_vcpu_quiesce(void);
void arch_hart_init(const struct bh_hart *h);
void arch_set_guest_external_irq(uint32_t on);
/* Masks (0) or unmasks (1) the physical supervisor external interrupt of this hart. */
void arch_enable_external_irq(uint32_t on);
void arch_raise_guest_software_irq(void);
void arch_set_guest_timer(uint64_t deadline);
void arch_send_ipi(uint32_t hartid);
uint64_t arch_time_now(void);
/* arch_time_now inline (the time CSR, priv spec 2.2: rdtime), for the
 * console's one-byte path (console_out.c, putc_plain): with it that path
 * calls nothing and saves no register. */
static inline uint64_t arch_time_now_inline(void)
{
    return csr_read(CSR_TIME);
}
/* A timer interrupt of this hart's own at deadline, to wake it from a wait
 * (ARCH_NO_WAKEUP: none). Never used while a guest runs. */
#define ARCH_NO_WAKEUP (~0UL)
void arch_set_wakeup(uint64_t deadline);
/* Waits until an interrupt is pending for this hart (sstatus.SIE stays 0). */
void arch_wait_for_interrupt(void);
/* Pending hypervisor-level interrupts: returns 1 and clears the bit for a software one. */
uint32_t arch_take_software_irq(void);
uint32_t arch_external_irq_pending(void);

#endif
