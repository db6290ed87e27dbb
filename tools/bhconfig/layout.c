/* SPDX-License-Identifier: Apache-2.0 */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void layout_compute(const struct sys *s, uint64_t hyp_base, size_t gstage_pages, struct hyp_layout *l)
{
    memset(l, 0, sizeof(*l));
    l->code_base = hyp_base;
    l->gstage_base = hyp_base + HYP_CODE_SIZE;
    l->gstage_size = (uint64_t)gstage_pages * SZ_4K;
    l->images_base = align_up(l->gstage_base + l->gstage_size, SZ_4K);
    l->image_at = xcalloc(s->num_cells, sizeof(*l->image_at));
    l->dtb_at = xcalloc(s->num_cells, sizeof(*l->dtb_at));

    uint64_t at = l->images_base;
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        at = align_up(at, SZ_4K); /* .balign 4096 in gen/images.S */
        l->image_at[i] = at;
        at += c->image_size;
        at = align_up(at, 8U); /* .balign 8 */
        l->dtb_at[i] = at;
        at += c->dtb_size;
    }
    l->images_size = at - l->images_base;
    l->end = at;
}

void layout_free(struct hyp_layout *l)
{
    free(l->image_at);
    free(l->dtb_at);
    memset(l, 0, sizeof(*l));
}
