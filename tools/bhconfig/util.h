/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation helpers for a short-lived host tool: running out of memory is not
 * a configuration error the user can fix, so it ends the program at once.
 */
#ifndef BHC_UTIL_H
#define BHC_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Round up to a power-of-two alignment. */
static inline uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1U) & ~(a - 1U);
}

static inline int is_aligned(uint64_t v, uint64_t a)
{
    return (v & (a - 1U)) == 0U;
}

#endif
