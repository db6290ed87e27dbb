/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen/images.S: the pristine image and DTB of every cell, included
 * byte-for-byte into section .cellimages of the hypervisor; a cell restart
 * copies them again. Images start on a 4 KiB boundary, DTBs on 8 bytes
 * (the layout that layout.c predicts and validate_hyp.c checks).
 */
#include <stdlib.h>

#include "emit.h"
#include "util.h"

static void incbin(struct sbuf *b, const char *sym, const char *path, unsigned align)
{
    sbuf_printf(b, "\t.balign %u\n\t.global %s\n\t.type %s, %%object\n%s:\n\t.incbin ", align, sym, sym, sym);
    emit_c_string(b, path); /* gas strings use C escapes */
    sbuf_printf(b, "\n\t.size %s, . - %s\n\n", sym, sym);
}

void emit_images_s(const struct emit_ctx *e, struct sbuf *b)
{
    const struct sys *s = e->s;

    emit_header_comment(e, b, "/*", " *", " */", "Pristine cell images and device trees.");
    sbuf_puts(b, "\t.section .cellimages, \"a\"\n\n");
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        char *sym = xasprintf("bh_image_%s", c->ident);
        char *dtb = xasprintf("%s/cells/%s.dtb", e->out_abs, c->name);
        sbuf_printf(b, "/* cell %u '%s': image \"%s\", 0x%llx bytes; DTB 0x%zx bytes */\n", i, c->name, c->image,
                    (unsigned long long)c->image_size, c->dtb_size);
        incbin(b, sym, c->image_path, 4096U);
        free(sym);
        sym = xasprintf("bh_dtb_%s", c->ident);
        incbin(b, sym, dtb, 8U);
        free(sym);
        free(dtb);
    }
}
