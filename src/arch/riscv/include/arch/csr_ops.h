/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CSR accessors and the fence/wait instructions, in inline assembly; included
 * by arch/csr.h only. Kept apart from the CSR numbers so that the proof build
 * (`make prove`) can put its hardware model, ci/prove/model/include/arch/csr_ops.h,
 * in this file's place by include path alone.
 */
#ifndef ARCH_CSR_OPS_H
#define ARCH_CSR_OPS_H

#include <stdint.h>

#define CSR_STR2(x) #x
#define CSR_STR(x)  CSR_STR2(x)

#define csr_read(csr) \
    ({ \
        unsigned long v__; \
        __asm__ volatile("csrr %0, " CSR_STR(csr) : "=r"(v__)::"memory"); \
        v__; \
    })
#define csr_write(csr, val) \
    ({ \
        unsigned long v__ = (val); \
        __asm__ volatile("csrw " CSR_STR(csr) ", %0" ::"rK"(v__) : "memory"); \
    })
#define csr_set(csr, val) \
    ({ \
        unsigned long v__ = (val); \
        __asm__ volatile("csrs " CSR_STR(csr) ", %0" ::"rK"(v__) : "memory"); \
    })
#define csr_clear(csr, val) \
    ({ \
        unsigned long v__ = (val); \
        __asm__ volatile("csrc " CSR_STR(csr) ", %0" ::"rK"(v__) : "memory"); \
    })
/* Writes val and answers the CSR's previous value in one instruction (csrrw). */
#define csr_swap(csr, val) \
    ({ \
        unsigned long v__ = (val); \
        unsigned long old__; \
        __asm__ volatile("csrrw %0, " CSR_STR(csr) ", %1" : "=r"(old__) : "rK"(v__) : "memory"); \
        old__; \
    })

/* GCC 12 cannot name the H extension in -march; enable it for these lines only. */
#define ASM_H(insn) ".option push\n.option arch, +h\n" insn "\n.option pop"

static inline void hfence_gvma_all(void)
{
    __asm__ volatile(ASM_H("hfence.gvma zero, zero")::: "memory");
}
static inline void hfence_vvma_all(void)
{
    __asm__ volatile(ASM_H("hfence.vvma zero, zero")::: "memory");
}
static inline void sfence_vma_all(void)
{
    __asm__ volatile("sfence.vma zero, zero" ::: "memory");
}
/* Orders this hart's earlier memory accesses (page-table writes) before later ones. */
static inline void fence_rw_rw(void)
{
    __asm__ volatile("fence rw, rw" ::: "memory");
}
/* Orders this hart's earlier memory writes (a posted message) before a later device write (an IPI). */
static inline void fence_w_o(void)
{
    __asm__ volatile("fence w, o" ::: "memory");
}
/* Makes instructions written to memory visible to this hart's fetches (Zifencei). */
static inline void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}
static inline void wait_for_interrupt(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

/* Reads a 16-bit parcel of the guest's instruction at guest-virtual pc with the
 * guest's translation and execute permission (priv spec 18.4, HLVX.HU). A fault
 * traps into the hypervisor (bh_trap_from_hypervisor: the probe mechanism). */
static inline uint64_t hlvx_hu(uint64_t pc)
{
    uint64_t v;
    __asm__ volatile(ASM_H("hlvx.hu %0, (%1)") : "=r"(v) : "r"(pc) : "memory");
    return v;
}

#endif
