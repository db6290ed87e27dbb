/* SPDX-License-Identifier: Apache-2.0 */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "util.h"

void layout_code(const struct sys *s, const struct platform *p, const struct kconf *k, struct hyp_layout *l)
{
    unsigned console_hart = emit_console_hart(s, p);
    bool idle_hart = false;

    memset(l, 0, sizeof(*l));
    l->stack_slot = xcalloc(p->hart_limit + 1U, sizeof(*l->stack_slot));
    for (uint32_t id = 0; id < p->hart_limit; id++) {
        if ((id == console_hart) || emit_hart_in_a_cell(s, id)) {
            l->stack_slot[id] = (uint16_t)l->num_stack_slots++;
        } else {
            l->stack_slot[id] = NO_STACK_SLOT;
            idle_hart = true;
        }
    }
    l->boot_slot = NO_STACK_SLOT;
    if (idle_hart) {
        l->boot_slot = l->num_stack_slots++;
        for (uint32_t id = 0; id < p->hart_limit; id++) {
            l->stack_slot[id] = (l->stack_slot[id] == NO_STACK_SLOT) ? (uint16_t)l->boot_slot : l->stack_slot[id];
        }
    }
    l->hart_data_size = (uint64_t)p->hart_limit * HYP_HART_DATA;
    l->stacks_size = (uint64_t)l->num_stack_slots * ((uint64_t)k->hart_stack_size + HART_STACK_GUARD);
    l->code_size = align_up(HYP_CODE_DATA_RESERVE + l->hart_data_size + l->stacks_size, SZ_2M);
}

bool layout_firmware_sees(const struct platform *p, const struct hyp_layout *l, unsigned index)
{
    return (index == 0U) || (l->boot_slot == NO_STACK_SLOT) || (l->stack_slot[p->harts[index].id] != l->boot_slot);
}

void layout_compute(const struct sys *s, uint64_t hyp_base, size_t gstage_pages, struct hyp_layout *l)
{
    l->code_base = hyp_base;
    l->gstage_base = hyp_base + l->code_size;
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
    free(l->stack_slot);
    free(l->image_at);
    free(l->dtb_at);
    memset(l, 0, sizeof(*l));
}
