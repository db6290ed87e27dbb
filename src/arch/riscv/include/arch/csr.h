/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSR numbers and bit fields Bulkhead uses, with accessors.
 * RISC-V privileged spec v1.12/1.13: ch. 10 (S-mode CSRs), ch. 18 (H extension).
 */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#define CSR_SSTATUS  0x100
#define CSR_SIE      0x104
#define CSR_STVEC    0x105
#define CSR_SSCRATCH 0x140
#define CSR_SEPC     0x141
#define CSR_SCAUSE   0x142
#define CSR_STVAL    0x143
#define CSR_SIP      0x144
#define CSR_STIMECMP 0x14d
#define CSR_SATP     0x180
#define CSR_TIME     0xc01 /* read-only counter (priv spec 2.2: rdtime) */

#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE      0x607
#define CSR_HENVCFG    0x60a
#define CSR_HTVAL      0x643
#define CSR_HIP        0x644
#define CSR_HVIP       0x645
#define CSR_HTINST     0x64a
#define CSR_HGATP      0x680

#define CSR_VSSTATUS  0x200
#define CSR_VSIE      0x204
#define CSR_VSTVEC    0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC     0x241
#define CSR_VSCAUSE   0x242
#define CSR_VSTVAL    0x243
#define CSR_VSIP      0x244
#define CSR_VSTIMECMP 0x24d
#define CSR_VSATP     0x280

#define SSTATUS_SIE      (1UL << 1)
#define SSTATUS_SPIE     (1UL << 5)
#define SSTATUS_SPP      (1UL << 8)
#define SSTATUS_FS_DIRTY (3UL << 13)

#define HSTATUS_SPV         (1UL << 7)
#define HSTATUS_SPVP        (1UL << 8)
#define HSTATUS_VGEIN_SHIFT 12U /* hstatus.VGEIN, bits 17:12 (priv spec 18.2.1) */

/* Interrupt bits in sip/sie/hvip/hideleg (priv spec 18.2.3). */
#define IRQ_S_SOFT   1U
#define IRQ_VS_SOFT  2U
#define IRQ_S_TIMER  5U
#define IRQ_VS_TIMER 6U
#define IRQ_S_EXT    9U
#define IRQ_VS_EXT   10U
#define MIP_SSIP     (1UL << IRQ_S_SOFT)
#define MIP_VSSIP    (1UL << IRQ_VS_SOFT)
#define MIP_STIP     (1UL << IRQ_S_TIMER)
#define MIP_VSTIP    (1UL << IRQ_VS_TIMER)
#define MIP_SEIP     (1UL << IRQ_S_EXT)
#define MIP_VSEIP    (1UL << IRQ_VS_EXT)

/* Exception causes (priv spec table 18.6 with the H additions). */
#define CAUSE_MISALIGNED_FETCH 0U
#define CAUSE_FETCH_ACCESS     1U
#define CAUSE_ILLEGAL_INSN     2U
#define CAUSE_BREAKPOINT       3U
#define CAUSE_MISALIGNED_LOAD  4U
#define CAUSE_LOAD_ACCESS      5U
#define CAUSE_MISALIGNED_STORE 6U
#define CAUSE_STORE_ACCESS     7U
#define CAUSE_USER_ECALL       8U
#define CAUSE_VS_ECALL         10U /* trap_entry.S: SCAUSE_VS_ECALL */
#define CAUSE_FETCH_PAGE_FAULT 12U
#define CAUSE_LOAD_PAGE_FAULT  13U
#define CAUSE_STORE_PAGE_FAULT 15U
#define CAUSE_FETCH_GUEST_PF   20U
#define CAUSE_LOAD_GUEST_PF    21U
#define CAUSE_VIRTUAL_INSN     22U
#define CAUSE_STORE_GUEST_PF   23U
#define CAUSE_INTERRUPT_BIT    (1UL << 63)

#define HENVCFG_STCE (1UL << 63) /* Sstc: VS-mode stimecmp (Sstc spec, henvcfg.STCE) */

#define HCOUNTEREN_CY (1UL << 0)
#define HCOUNTEREN_TM (1UL << 1)
#define HCOUNTEREN_IR (1UL << 2)

#define SATP_MODE_SV39 (8UL << 60)

/* The accessors (inline assembly; `make prove` compiles ci/prove/model/include/arch/csr_ops.h instead). */
#include "arch/csr_ops.h"

#endif
