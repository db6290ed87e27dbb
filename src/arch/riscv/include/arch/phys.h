/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical address of a hypervisor object, for a device that reads it by
 * DMA (the IOMMU's directory and queues). The hypervisor runs identity-mapped
 * (mmu.c), so it is the object's address. The proof build replaces this
 * header (ci/prove/model/include/arch/phys.h).
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <stdint.h>

static inline uint64_t arch_phys_addr(const volatile void *p)
{
    return (uint64_t)(uintptr_t)p;
}

#endif
