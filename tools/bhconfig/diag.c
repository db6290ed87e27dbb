#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "model.h"
#include "sbuf.h"
#include "util.h"

static char **lines;
static unsigned count;
static unsigned cap;

static void push(char *line)
{
    if (count == cap) {
        cap = (cap == 0U) ? 16U : cap * 2U;
        lines = xrealloc(lines, cap * sizeof(*lines));
    }
    lines[count++] = line;
}

static void vpush(const char *prefix, const char *fmt, va_list ap)
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
    push(b.data);
}

void diag_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpush("", fmt, ap);
    va_end(ap);
}

void diag_at(const char *file, const char *where, const char *prop, const char *fmt, ...)
{
    char *prefix = xasprintf("%s: %s: %s: ", file, where, prop);
    va_list ap;
    va_start(ap, fmt);
    vpush(prefix, fmt, ap);
    va_end(ap);
    free(prefix);
}

void diag_cell(const struct sys *s, const struct cell *c, const char *prop, const char *fmt, ...)
{
    char *prefix = xasprintf("%s: cell '%s': %s: ", s->file, c->name, prop);
    va_list ap;
    va_start(ap, fmt);
    vpush(prefix, fmt, ap);
    va_end(ap);
    free(prefix);
}

unsigned diag_count(void)
{
    return count;
}

const char *diag_get(unsigned i)
{
    return (i < count) ? lines[i] : NULL;
}

void diag_print(FILE *f)
{
    for (unsigned i = 0; i < count; i++) {
        (void)fprintf(f, "%s\n", lines[i]);
    }
}

void diag_reset(void)
{
    for (unsigned i = 0; i < count; i++) {
        free(lines[i]);
    }
    free(lines);
    lines = NULL;
    count = 0U;
    cap = 0U;
}
