/* SPDX-License-Identifier: Apache-2.0 */
/* One emulated device access for both exit paths (trap.c, trap_fast.c). */
#include "arch/mmio_emulate.h"
#include "bulkhead/exits.h"

int riscv_mmio_emulate(struct bh_hart *h, uint64_t gpa, const struct mmio_insn *mi)
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
