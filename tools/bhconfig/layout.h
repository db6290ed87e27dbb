/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor region as src/arch/riscv/bulkhead.ld.in lays it out:
 *   base                      code, data, per-hart data, stacks: the code region,
 *                             a multiple of 2 MiB sized by the config (code_size)
 *   base + code_size          G-stage tables (BH_GSTAGE_BASE)
 *   next 4 KiB boundary       .cellimages: per cell, image (4 KiB aligned)
 *                             then DTB (8-byte aligned), as gen/images.S
 * The compiler knows every size, so it checks the region is large enough
 * before the linker would.
 */
#ifndef BHC_LAYOUT_H
#define BHC_LAYOUT_H

#include "model.h"

#define NO_STACK_SLOT 0xffffU

struct hyp_layout {
    uint64_t code_base;
    uint64_t code_size;      /* code region: HYP_CODE_DATA_RESERVE + hart data + stacks, 2 MiB multiple */
    uint64_t hart_data_size; /* HYP_HART_DATA per hart id below the platform's highest */
    uint64_t stacks_size;    /* num_stack_slots x (CONFIG_HART_STACK_SIZE + guard) */
    unsigned num_stack_slots;
    unsigned boot_slot;   /* slot of a boot hart that runs nothing, or NO_STACK_SLOT */
    uint16_t *stack_slot; /* per hart id below hart_limit: its slot (boot_slot if it runs nothing) */
    uint64_t gstage_base;
    uint64_t gstage_size;
    uint64_t images_base;
    uint64_t images_size;
    uint64_t end;       /* first byte after .cellimages */
    uint64_t *image_at; /* per cell: pristine image copy in the region */
    uint64_t *dtb_at;   /* per cell: pristine DTB copy */
};

/*
 * The code region: a stack slot for every hart that runs something (a cell's
 * harts, the console hart) and one for a boot hart that runs nothing (the
 * firmware picks the boot hart), per-hart data for every hart id. First,
 * because the G-stage tables are placed after it.
 */
void layout_code(const struct sys *s, const struct platform *p, const struct kconf *k, struct hyp_layout *l);

/* Whether the firmware gets platform hart `index` (p->harts[index]) enabled in
 * firmware.dtb: the platform's first hart (the firmware boots on it) and every
 * hart that runs something; the others are "disabled" for it. */
bool layout_firmware_sees(const struct platform *p, const struct hyp_layout *l, unsigned index);

/* hyp_base may be 0 if the config has no valid hypervisor reg (sizes still count). */
void layout_compute(const struct sys *s, uint64_t hyp_base, size_t gstage_pages, struct hyp_layout *l);
void layout_free(struct hyp_layout *l);

#endif
