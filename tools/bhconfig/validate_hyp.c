/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's region: inside platform RAM and away from the firmware;
 * 2 MiB aligned because the hypervisor maps its own region with 2 MiB pages
 * around a 4 KiB-mapped first megapage (src/arch/riscv/mmu.c); and large
 * enough for its code region (code, data, per-hart data and the stacks of
 * the harts that run something: layout.h), the G-stage tables and every
 * pristine image and DTB.
 */
#include "diag.h"
#include "layout.h"
#include "util.h"
#include "validate.h"

#define HEX(v) ((unsigned long long)(v))

void validate_hypervisor(const struct sys *s, const struct platform *p, const struct kconf *k,
                         const struct hyp_layout *l)
{
    const struct range *h = &s->hyp;

    if (!s->has_hyp) {
        return;
    }
    if (!is_aligned(h->base, SZ_2M) || !is_aligned(h->size, SZ_2M) || h->size == 0U) {
        diag_at(s->file, "hypervisor", "reg", "0x%llx size 0x%llx: base and size must be non-zero multiples of 2 MiB",
                HEX(h->base), HEX(h->size));
    }
    if (!range_inside(h->base, h->size, p->ram.base, p->ram.size)) {
        diag_at(s->file, "hypervisor", "reg", "0x%llx..0x%llx is not inside platform RAM 0x%llx..0x%llx", HEX(h->base),
                HEX(last_byte(h->base, h->size)), HEX(p->ram.base), HEX(last_byte(p->ram.base, p->ram.size)));
    }
    if (ranges_overlap(h->base, h->size, p->firmware.base, p->firmware.size)) {
        diag_at(s->file, "hypervisor", "reg", "0x%llx..0x%llx overlaps the firmware (%s) 0x%llx..0x%llx", HEX(h->base),
                HEX(last_byte(h->base, h->size)), p->firmware_path, HEX(p->firmware.base),
                HEX(last_byte(p->firmware.base, p->firmware.size)));
    }
    uint64_t need = l->end - l->code_base;
    if (need > h->size) {
        diag_at(s->file, "hypervisor", "reg",
                "size 0x%llx is too small: needs 0x%llx (code region 0x%llx = code and data 0x%llx + %u hart ids of "
                "%s x 0x%llx + %u stacks x 0x%llx (CONFIG_HART_STACK_SIZE + 4 KiB guard); G-stage tables 0x%llx; "
                "images and DTBs 0x%llx)",
                HEX(h->size), HEX(need), HEX(l->code_size), HEX(HYP_CODE_DATA_RESERVE), (unsigned)p->hart_limit,
                p->name, HEX(HYP_HART_DATA), l->num_stack_slots, HEX((uint64_t)k->hart_stack_size + HART_STACK_GUARD),
                HEX(l->gstage_size), HEX(l->images_size));
    }
}
