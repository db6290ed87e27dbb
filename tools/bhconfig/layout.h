/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor region as src/arch/riscv/bulkhead.ld.in lays it out:
 *   base                      code, data, stacks (HYP_CODE_SIZE = 2 MiB)
 *   base + 2 MiB              G-stage tables (BH_GSTAGE_BASE)
 *   next 4 KiB boundary       .cellimages: per cell, image (4 KiB aligned)
 *                             then DTB (8-byte aligned), as gen/images.S
 * The compiler knows every size, so it checks the region is large enough
 * before the linker would.
 */
#ifndef BHC_LAYOUT_H
#define BHC_LAYOUT_H

#include "model.h"

struct hyp_layout {
    uint64_t code_base;
    uint64_t gstage_base;
    uint64_t gstage_size;
    uint64_t images_base;
    uint64_t images_size;
    uint64_t end;       /* first byte after .cellimages */
    uint64_t *image_at; /* per cell: pristine image copy in the region */
    uint64_t *dtb_at;   /* per cell: pristine DTB copy */
};

/* hyp_base may be 0 if the config has no valid hypervisor reg (sizes still count). */
void layout_compute(const struct sys *s, uint64_t hyp_base, size_t gstage_pages, struct hyp_layout *l);
void layout_free(struct hyp_layout *l);

#endif
