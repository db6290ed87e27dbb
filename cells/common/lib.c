/* SPDX-License-Identifier: Apache-2.0 */
/*
 * memset/memcpy/memmove/memcmp: GCC may emit calls to these even in
 * -ffreestanding code (GCC manual, "C Dialect Options": the freestanding
 * environment still requires them), and the guests link without a libc.
 */
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst; /* volatile: not turned back into memset */

	while (n-- > 0U)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0U)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n-- > 0U)
			*d++ = *s++;
	} else {
		while (n > 0U) {
			n--;
			d[n] = s[n];
		}
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0U; n--, x++, y++) {
		if (*x != *y)
			return (int)*x - (int)*y;
	}
	return 0;
}
