/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cells and harts: every hart a cell names is below BH_HART_ID_LIMIT, exists on
 * the platform and belongs to exactly one cell (one vCPU per hart, pinned:
 * docs/architecture.md "Run time").
 */
#include <string.h>

#include "diag.h"
#include "platform.h"
#include "validate.h"

/* Names the runner uses for its own log files and keywords (tools/bulkhead_run). */
static const char *const reserved_names[] = {"hypervisor", "bulkhead", "hyp", "input", "console.raw"};

static void check_names(const struct sys *s)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        for (size_t r = 0; r < sizeof(reserved_names) / sizeof(reserved_names[0]); r++) {
            if (strcmp(c->name, reserved_names[r]) == 0) {
                diag_cell(s, c, "name", "'%s' is reserved for the hypervisor's own logs", c->name);
            }
        }
        for (unsigned j = 0; j < i; j++) {
            if (strcmp(c->ident, s->cells[j].ident) == 0) {
                diag_cell(s, c, "name", "C symbol name '%s' is also that of cell '%s'", c->ident, s->cells[j].name);
            }
        }
    }
}

/* The cell before `upto` that owns physical hart `id`, or NULL. */
static const struct cell *hart_owner(const struct sys *s, unsigned upto, uint32_t id)
{
    for (unsigned i = 0; i < upto; i++) {
        for (unsigned h = 0; h < s->cells[i].num_harts; h++) {
            if (s->cells[i].harts[h] == id) {
                return &s->cells[i];
            }
        }
    }
    return NULL;
}

static void check_cell_harts(const struct sys *s, const struct platform *p, const struct kconf *k, unsigned i)
{
    const struct cell *c = &s->cells[i];

    if (c->num_harts > k->max_cell_harts) {
        diag_cell(s, c, "harts", "%u harts exceed CONFIG_MAX_CELL_HARTS (%u)", c->num_harts, k->max_cell_harts);
    }
    for (unsigned h = 0; h < c->num_harts; h++) {
        uint32_t id = c->harts[h];
        bool dup = false;
        for (unsigned e = 0; e < h; e++) {
            dup = dup || (c->harts[e] == id);
        }
        const struct cell *owner = hart_owner(s, i, id);
        if (id >= BH_HART_ID_LIMIT) {
            diag_cell(s, c, "harts", "hart 0x%x (%u) is not below %u, the hypervisor's hart id limit", id, id,
                      BH_HART_ID_LIMIT);
        } else if (platform_find_hart(p, id) < 0) {
            diag_cell(s, c, "harts", "hart 0x%x does not exist on platform %s (%u harts, ids 0x0..0x%x)", id, p->name,
                      p->num_harts, p->hart_limit - 1U);
        } else if (dup) {
            diag_cell(s, c, "harts", "hart 0x%x is listed twice", id);
        } else if (owner != NULL) {
            diag_cell(s, c, "harts", "hart 0x%x already belongs to cell '%s'", id, owner->name);
        }
    }
}

void validate_harts(const struct sys *s, const struct platform *p, const struct kconf *k)
{
    if (s->num_cells > k->max_cells) {
        diag_at(s->file, "/cells", "cells", "%u cells exceed CONFIG_MAX_CELLS (%u)", s->num_cells, k->max_cells);
    }
    check_names(s);
    for (unsigned i = 0; i < s->num_cells; i++) {
        check_cell_harts(s, p, k, i);
    }
}
