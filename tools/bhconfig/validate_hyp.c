/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's region: inside platform RAM and away from the firmware;
 * 2 MiB aligned because the hypervisor maps its own region with 2 MiB pages
 * around a 4 KiB-mapped first megapage (src/arch/riscv/mmu.c); and large
 * enough for its code, the G-stage tables and every pristine image and DTB.
 */
#include "diag.h"
#include "layout.h"
#include "util.h"
#include "validate.h"

#define HEX(v) ((unsigned long long)(v))

/* The per-hart stacks share the first 2 MiB with code and data. */
static void validate_stacks(const struct sys *s, const struct platform *p, const struct kconf *k)
{
    uint64_t stacks = (uint64_t)p->hart_limit * ((uint64_t)k->hart_stack_size + HART_STACK_GUARD);

    if (stacks + HYP_CODE_DATA_RESERVE > HYP_CODE_SIZE) {
        diag_at(s->file, "hypervisor", "stacks",
                "%u harts x (CONFIG_HART_STACK_SIZE 0x%x + 4 KiB guard) = 0x%llx bytes of stacks; with 0x%llx "
                "kept for code and data that exceeds the hypervisor's 0x%llx-byte code region (platform %s)",
                (unsigned)p->hart_limit, k->hart_stack_size, HEX(stacks), HEX(HYP_CODE_DATA_RESERVE),
                HEX(HYP_CODE_SIZE), p->file);
    }
}

void validate_hypervisor(const struct sys *s, const struct platform *p, const struct kconf *k,
                         const struct hyp_layout *l)
{
    validate_stacks(s, p, k);
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
                "size 0x%llx is too small: needs 0x%llx (0x%llx code + 0x%llx G-stage tables + 0x%llx images and DTBs)",
                HEX(h->size), HEX(need), HEX(HYP_CODE_SIZE), HEX(l->gstage_size), HEX(l->images_size));
    }
}
