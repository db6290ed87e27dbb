/* SPDX-License-Identifier: Apache-2.0 */
/*
 * firmware.dtb: the platform's device tree as the firmware (OpenSBI) gets it
 * (QEMU -dtb): every hart that runs nothing is status = "disabled", except
 * the platform's first hart, which the firmware boots on (QEMU's fw_dynamic
 * names hart 0). OpenSBI counts, indexes and sizes its heap by enabled harts
 * only, and OpenSBI 1.5 runs out of heap beyond about 58 (docs/limits.md):
 * a system using few harts of a big machine keeps the firmware small.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "diag.h"
#include "emit.h"
#include "util.h"

/* Each "disabled" status adds a property: room for all of them. */
#define ROOM_PER_HART 32U

void emit_firmware_dtb(const struct emit_ctx *e, struct sbuf *b)
{
    const struct platform *p = e->p;
    const struct hyp_layout *l = e->l;
    int size = fdt_totalsize(p->fdt) + (int)(p->num_harts * ROOM_PER_HART);
    void *fdt = xcalloc(1, (size_t)size);

    if (fdt_open_into(p->fdt, fdt, size) != 0) {
        diag_line("%s: internal error: cannot copy the platform tree for firmware.dtb", p->file);
        free(fdt);
        return;
    }
    /* Setting a property moves the nodes after it: look each one up by path. */
    for (unsigned h = 1; h < p->num_harts; h++) {
        if (layout_firmware_sees(p, l, h)) {
            continue;
        }
        char *path = xasprintf("/cpus/%s", fdt_get_name(p->fdt, p->harts[h].offset, NULL));
        int node = fdt_path_offset(fdt, path);
        if ((node < 0) || (fdt_setprop_string(fdt, node, "status", "disabled") != 0)) {
            diag_line("%s: internal error: cannot disable %s in firmware.dtb", p->file, path);
        }
        free(path);
    }
    fdt_pack(fdt);
    sbuf_add(b, fdt, fdt_totalsize(fdt));
    free(fdt);
}
