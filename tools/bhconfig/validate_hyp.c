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

void validate_hypervisor(const struct sys *s, const struct platform *p, const struct hyp_layout *l)
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
        diag_at(s->file, "hypervisor", "reg", "0x%llx..0x%llx is not inside platform RAM 0x%llx..0x%llx",
                HEX(h->base), HEX(last_byte(h->base, h->size)), HEX(p->ram.base),
                HEX(last_byte(p->ram.base, p->ram.size)));
    }
    if (ranges_overlap(h->base, h->size, p->firmware.base, p->firmware.size)) {
        diag_at(s->file, "hypervisor", "reg", "0x%llx..0x%llx overlaps the firmware (%s) 0x%llx..0x%llx",
                HEX(h->base), HEX(last_byte(h->base, h->size)), p->firmware_path, HEX(p->firmware.base),
                HEX(last_byte(p->firmware.base, p->firmware.size)));
    }
    uint64_t need = l->end - l->code_base;
    if (need > h->size) {
        diag_at(s->file, "hypervisor", "reg",
                "size 0x%llx is too small: needs 0x%llx (0x%llx code + 0x%llx G-stage tables + 0x%llx images and DTBs)",
                HEX(h->size), HEX(need), HEX(HYP_CODE_SIZE), HEX(l->gstage_size), HEX(l->images_size));
    }
}
