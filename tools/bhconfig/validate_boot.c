/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the hypervisor copies into a cell at (re)start: the image at
 * image-address and the DTB at dtb-address, each inside one RAM region (the
 * copy goes through that region's host range), not overlapping, entry inside
 * the image on executable memory. The DTB is 8-byte aligned as the DT spec
 * (v0.4, 5.1) requires of a blob in memory.
 */
#include <stdlib.h>

#include "diag.h"
#include "util.h"
#include "validate.h"

#define HEX(v) ((unsigned long long)(v))

const struct region *cell_region_at(const struct cell *c, uint64_t gpa, uint64_t size)
{
    for (unsigned r = 0; r < c->num_regions; r++) {
        const struct region *reg = &c->regions[r];
        if (reg->parsed && range_inside(gpa, size, reg->guest, reg->size)) {
            return reg;
        }
    }
    return NULL;
}

/* The image inside the region `at` that holds its first byte. */
static void check_image(const struct sys *s, const struct cell *c, const struct region *at)
{
    const uint64_t end = c->image_address + c->image_size;

    if (!range_inside(c->image_address, c->image_size, at->guest, at->size)) {
        diag_cell(s, c, "image", "\"%s\" (0x%llx bytes) at 0x%llx..0x%llx does not fit in %s (guest 0x%llx..0x%llx)",
                  c->image, HEX(c->image_size), HEX(c->image_address), HEX(end - 1U), at->name, HEX(at->guest),
                  HEX(last_byte(at->guest, at->size)));
    }
    if (c->entry < c->image_address || c->entry >= end) {
        diag_cell(s, c, "entry", "0x%llx is outside the image 0x%llx..0x%llx", HEX(c->entry), HEX(c->image_address),
                  HEX(end - 1U));
    } else {
        const struct region *x = cell_region_at(c, c->entry, 1U);
        if (x != NULL && (x->access & BH_ACCESS_X) == 0U) {
            diag_cell(s, c, "entry", "0x%llx is in %s, which has no 'x' access", HEX(c->entry), x->name);
        }
    }
}

static void check_dtb(const struct sys *s, struct cell *c, const struct region *image_region)
{
    const char *dflt = "";
    char *note = NULL;

    if (!c->has_dtb_address) {
        if (image_region == NULL) {
            return; /* default unknown; the image error says why */
        }
        c->dtb_address = image_region->guest + image_region->size - DTB_SLOT_SIZE;
        note = xasprintf(" (default: last 64 KiB of %s)", image_region->name);
        dflt = note;
    }
    uint64_t a = c->dtb_address;
    uint64_t last = a + c->dtb_size - 1U;
    if (!is_aligned(a, 8U)) {
        diag_cell(s, c, "dtb-address", "0x%llx is not 8-byte aligned%s", HEX(a), dflt);
    }
    if (cell_region_at(c, a, c->dtb_size) == NULL) {
        diag_cell(s, c, "dtb-address", "DTB 0x%llx..0x%llx (0x%zx bytes) is not inside one RAM region%s", HEX(a),
                  HEX(last), c->dtb_size, dflt);
    }
    if (c->image_ok && ranges_overlap(a, c->dtb_size, c->image_address, c->image_size)) {
        diag_cell(s, c, "dtb-address", "DTB 0x%llx..0x%llx overlaps the image 0x%llx..0x%llx%s", HEX(a), HEX(last),
                  HEX(c->image_address), HEX(c->image_address + c->image_size - 1U), dflt);
    }
    free(note);
}

void validate_boot(struct sys *s)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        struct cell *c = &s->cells[i];
        const struct region *image_region = NULL;
        if (c->has_image_address) {
            image_region = cell_region_at(c, c->image_address, 1U);
            if (image_region == NULL) {
                diag_cell(s, c, "image-address", "0x%llx is not inside any RAM region of the cell",
                          HEX(c->image_address));
            } else if (!image_region->valid) {
                continue; /* its alignment error is reported; placement would only echo it */
            } else if (c->image_ok) {
                check_image(s, c, image_region);
            }
        }
        if (c->dtb != NULL) {
            check_dtb(s, c, image_region);
        }
    }
}
