/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BULKHEAD_FORMAT_H
#define BULKHEAD_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* A small vsnprintf: %s %c %d %u %x with l/ll and zero-padded width. Always terminates. */
size_t bh_vformat(char *buf, size_t size, const char *fmt, va_list ap);
size_t bh_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
