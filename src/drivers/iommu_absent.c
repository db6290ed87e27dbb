/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iommu.h on a platform without an IOMMU (the Makefile builds this file
 * instead of iommu.c): nothing to program, no fault can arrive, and bhconfig
 * refuses every PCI function, so none is ever enabled.
 */
#include "bulkhead/iommu.h"

int bh_iommu_init(void)
{
    return -1;
}

uint32_t bh_iommu_next_fault(struct bh_iommu_fault *f)
{
    (void)f;
    return 0U;
}

const char *bh_iommu_cause_name(uint32_t cause)
{
    (void)cause;
    return "no IOMMU";
}
