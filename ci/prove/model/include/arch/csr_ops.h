/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`): the hardware model in place of
 * src/arch/riscv/include/arch/csr_ops.h (found first on the include path).
 *
 * Assumes: a CSR read returns a value the hardware can give (model/hardware.c
 * bounds each one; most are arbitrary since a guest or an interrupt can set
 * them); a CSR write, a fence and wfi change no memory the hypervisor can see
 * (their effect on later CSR reads is covered by the reads being arbitrary).
 * HLVX.HU returns any 16 bits or, like the real instruction on a fault, traps
 * into bh_trap_from_hypervisor, whose probe path sets probe_trapped.
 */
#ifndef ARCH_CSR_OPS_H
#define ARCH_CSR_OPS_H

#include <stdint.h>

unsigned long bh_model_csr_read(unsigned int csr);
void bh_model_csr_write(unsigned int csr, unsigned long val);
unsigned long bh_model_csr_swap(unsigned int csr, unsigned long val);
uint64_t bh_model_hlvx_hu(uint64_t pc);

#define csr_read(csr)       bh_model_csr_read((unsigned int)(csr))
#define csr_write(csr, val) bh_model_csr_write((unsigned int)(csr), (unsigned long)(val))
#define csr_set(csr, val)   bh_model_csr_write((unsigned int)(csr), (unsigned long)(val))
#define csr_clear(csr, val) bh_model_csr_write((unsigned int)(csr), (unsigned long)(val))
#define csr_swap(csr, val)  bh_model_csr_swap((unsigned int)(csr), (unsigned long)(val))

static inline void hfence_gvma_all(void)
{
}
static inline void hfence_vvma_all(void)
{
}
static inline void sfence_vma_all(void)
{
}
static inline void fence_rw_rw(void)
{
}
static inline void fence_w_o(void)
{
}
static inline void fence_i(void)
{
}
static inline void wait_for_interrupt(void)
{
}

static inline uint64_t hlvx_hu(uint64_t pc)
{
    return bh_model_hlvx_hu(pc);
}

#endif
