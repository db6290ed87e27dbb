/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BULKHEAD_MMU_H
#define BULKHEAD_MMU_H
/* The hypervisor's own protection: built once by the boot hart, enabled on every hart. */
void bh_mmu_build(void);
void bh_mmu_enable(void);
#endif
