/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Generators of the output files, each from the validated model into a
 * text buffer (emit_*.c, one file each). They never fail: everything they
 * rely on was checked before.
 */
#ifndef BHC_EMIT_H
#define BHC_EMIT_H

#include "gstage.h"
#include "layout.h"
#include "model.h"
#include "sbuf.h"

struct emit_ctx {
    const struct sys *s;
    const struct platform *p;
    const struct kconf *k;
    const struct gs_tables *t;
    const struct gs_stats *stats; /* per cell */
    const struct hyp_layout *l;
    const char *out_abs; /* absolute --out directory, for .incbin paths */
};

void emit_config_h(const struct emit_ctx *e, struct sbuf *b);
void emit_cells_c(const struct emit_ctx *e, struct sbuf *b);
void emit_gstage_c(const struct emit_ctx *e, struct sbuf *b);
void emit_images_s(const struct emit_ctx *e, struct sbuf *b);
void emit_memmap(const struct emit_ctx *e, struct sbuf *b);
void emit_json(const struct emit_ctx *e, struct sbuf *b);
void emit_firmware_dtb(const struct emit_ctx *e, struct sbuf *b); /* binary */

/* Shared helpers (emit_util.c). */
void emit_c_string(struct sbuf *b, const char *s);    /* "..." with C escapes */
void emit_json_string(struct sbuf *b, const char *s); /* "..." with JSON escapes */
const char *emit_access(uint32_t access);             /* "rwx", "rw", ... */
void emit_size(struct sbuf *b, uint64_t size);        /* "128 MiB", "0x18 bytes" */
/* The hart whose S-mode context takes the console UART interrupt, ~0U if none can. */
unsigned emit_console_hart(const struct sys *s, const struct platform *p);
bool emit_hart_in_a_cell(const struct sys *s, uint32_t hart); /* some cell lists the hart */
void emit_header_comment(const struct emit_ctx *e, struct sbuf *b, const char *open, const char *line,
                         const char *close, const char *what);

#endif
