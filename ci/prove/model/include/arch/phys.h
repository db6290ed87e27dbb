/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`): in place of
 * src/arch/riscv/include/arch/phys.h.
 *
 * Assumes: the physical address of a hypervisor object is some address inside
 * the hypervisor's region (identity map, mmu.c; the linker script places every
 * object there). The hypervisor only hands it to a device (the IOMMU's ddtp,
 * cqb, fqb) and prints it; no C access goes through it. Returning the pointer
 * itself would make EVA keep the number as a "garbled mix" of the object's
 * address, which a device register then holds and which, read back through
 * any imprecise pointer, spreads into every state after it (the console
 * first): a modelling artefact, since a register holds bits, not a C pointer.
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <stdint.h>
#include "__fc_builtin.h"
#include "config.h"

static inline uint64_t arch_phys_addr(const volatile void *p)
{
    (void)p;
    return Frama_C_unsigned_long_interval((uint64_t)BH_HYP_BASE, (uint64_t)BH_HYP_BASE + (uint64_t)BH_HYP_SIZE - 1U);
}

#endif
