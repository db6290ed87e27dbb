/* SPDX-License-Identifier: Apache-2.0 */
/* A decoded guest load or store to an emulated device, on the guest's registers. */
#ifndef ARCH_MMIO_EMULATE_H
#define ARCH_MMIO_EMULATE_H

#include <stdint.h>
#include "arch/insn_decode.h"
#include "bulkhead/exits.h"
#include "bulkhead/hart.h"

/* The access mi makes at guest-physical gpa, emulated (bh_mmio_access): a
 * store's value from its register, a load's result into its register. 0 on
 * success; -1 if no device of the cell takes it, with nothing changed.
 * Inline: both exit paths (trap.c, trap_fast.c) use it, and on the fast one
 * a call of its own was a sixth of a device access. */
static inline int riscv_mmio_emulate(struct bh_hart *h, uint64_t gpa, const struct mmio_insn *mi)
{
    /* x[0] is never written, so a store of x0 stores 0. */
    uint64_t value = (mi->is_store != 0U) ? h->frame.x[mi->reg] : 0UL;

    if (bh_mmio_access(h, gpa, mi->width, mi->is_store, &value) != 0) {
        return -1;
    }
    if ((mi->is_store == 0U) && (mi->reg != 0U)) {
        h->frame.x[mi->reg] = riscv_mmio_load_value(mi, value);
    }
    return 0;
}

#endif
