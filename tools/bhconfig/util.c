/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (p == NULL) {
        (void)fputs("bhconfig: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

void *xmalloc(size_t size)
{
    return check(malloc(size == 0U ? 1U : size));
}

void *xcalloc(size_t count, size_t size)
{
    return check(calloc(count == 0U ? 1U : count, size == 0U ? 1U : size));
}

void *xrealloc(void *ptr, size_t size)
{
    return check(realloc(ptr, size == 0U ? 1U : size));
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1U);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
    }
    char *s = xmalloc((size_t)n + 1U);
    va_start(ap, fmt);
    (void)vsnprintf(s, (size_t)n + 1U, fmt, ap);
    va_end(ap);
    return s;
}
