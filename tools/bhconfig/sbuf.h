/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable text buffer: every generated file is built in memory first so
 * that nothing reaches the output directory unless the whole run succeeds.
 */
#ifndef BHC_SBUF_H
#define BHC_SBUF_H

#include <stddef.h>

struct sbuf {
    char *data;
    size_t len;
    size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_add(struct sbuf *b, const void *data, size_t len);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
