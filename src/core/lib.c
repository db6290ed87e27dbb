/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/lib.h"

/* The compiler may emit calls to these even in freestanding mode (C11 5.1.2.1). */
void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if ((((uintptr_t)d | (uintptr_t)s | n) & 7U) == 0U) {
        uint64_t *d64 = dst;
        const uint64_t *s64 = src;
        for (size_t i = 0; i < (n / 8U); i++) {
            d64[i] = s64[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            d[i] = s[i];
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    for (size_t i = 0; i < n; i++) {
        d[i] = (uint8_t)c;
    }
    return dst;
}
