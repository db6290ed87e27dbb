/* SPDX-License-Identifier: Apache-2.0 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "model.h"
#include "sbuf.h"
#include "util.h"

struct line_list {
    char **v;
    unsigned n;
    unsigned cap;
};

static struct line_list errors;
static struct line_list warnings;

static void push(struct line_list *l, char *line)
{
    if (l->n == l->cap) {
        l->cap = (l->cap == 0U) ? 16U : l->cap * 2U;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = line;
}

static void vpush(struct line_list *l, const char *prefix, const char *fmt, va_list ap)
{
    struct sbuf b;
    va_list copy;
    char tmp[1];

    sbuf_init(&b);
    sbuf_puts(&b, prefix);
    va_copy(copy, ap);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, copy);
    va_end(copy);
    if (n > 0) {
        char *msg = xmalloc((size_t)n + 1U);
        (void)vsnprintf(msg, (size_t)n + 1U, fmt, ap);
        sbuf_puts(&b, msg);
        free(msg);
    }
    push(l, b.data);
}

void diag_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpush(&errors, "", fmt, ap);
    va_end(ap);
}

void diag_at(const char *file, const char *where, const char *prop, const char *fmt, ...)
{
    char *prefix = xasprintf("%s: %s: %s: ", file, where, prop);
    va_list ap;
    va_start(ap, fmt);
    vpush(&errors, prefix, fmt, ap);
    va_end(ap);
    free(prefix);
}

void diag_cell(const struct sys *s, const struct cell *c, const char *prop, const char *fmt, ...)
{
    char *prefix = xasprintf("%s: cell '%s': %s: ", s->file, c->name, prop);
    va_list ap;
    va_start(ap, fmt);
    vpush(&errors, prefix, fmt, ap);
    va_end(ap);
    free(prefix);
}

void diag_warn_cell(const struct sys *s, const struct cell *c, const char *prop, const char *fmt, ...)
{
    char *prefix = xasprintf("%s: cell '%s': %s: warning: ", s->file, c->name, prop);
    va_list ap;
    va_start(ap, fmt);
    vpush(&warnings, prefix, fmt, ap);
    va_end(ap);
    free(prefix);
}

unsigned diag_count(void)
{
    return errors.n;
}

const char *diag_get(unsigned i)
{
    return (i < errors.n) ? errors.v[i] : NULL;
}

static void print_list(FILE *f, const struct line_list *l)
{
    for (unsigned i = 0; i < l->n; i++) {
        (void)fprintf(f, "%s\n", l->v[i]);
    }
}

void diag_print(FILE *f)
{
    print_list(f, &errors);
}

unsigned diag_warn_count(void)
{
    return warnings.n;
}

const char *diag_warn_get(unsigned i)
{
    return (i < warnings.n) ? warnings.v[i] : NULL;
}

void diag_print_warnings(FILE *f)
{
    print_list(f, &warnings);
}

static void clear(struct line_list *l)
{
    for (unsigned i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0U;
    l->cap = 0U;
}

void diag_reset(void)
{
    clear(&errors);
    clear(&warnings);
}
