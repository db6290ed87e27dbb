/* SPDX-License-Identifier: Apache-2.0 */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void sbuf_init(struct sbuf *b)
{
    b->cap = 256U;
    b->len = 0U;
    b->data = xmalloc(b->cap);
    b->data[0] = '\0';
}

void sbuf_free(struct sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0U;
    b->cap = 0U;
}

static void reserve(struct sbuf *b, size_t more)
{
    if (b->len + more + 1U > b->cap) {
        while (b->len + more + 1U > b->cap) {
            b->cap *= 2U;
        }
        b->data = xrealloc(b->data, b->cap);
    }
}

void sbuf_add(struct sbuf *b, const void *data, size_t len)
{
    reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_add(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) {
        return;
    }
    reserve(b, (size_t)n);
    va_start(ap, fmt);
    (void)vsnprintf(b->data + b->len, (size_t)n + 1U, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
