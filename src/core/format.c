/* SPDX-License-Identifier: Apache-2.0 */
/* A small vsnprintf for the hypervisor's messages (variadic: docs/safety/deviations.md, DEV-04). */
#include "bulkhead/format.h"
#include <stdint.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

/* One conversion: %[0][width][l...]<conv>; conv is '\0' when the format ends after the '%'. */
struct spec {
    char pad;
    unsigned width;
    unsigned longs;
    char conv;
};

static void put(struct out *o, char c)
{
    if ((o->len + 1U) < o->size) {
        o->buf[o->len] = c;
        o->len++;
    }
}

static void put_string(struct out *o, const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        put(o, *p);
    }
}

static void put_number(struct out *o, uint64_t value, unsigned base, const struct spec *s, int negative)
{
    static const char digit_chars[] = "0123456789abcdef";
    char digits[24];
    unsigned n = 0;
    uint64_t v = value;

    do {
        digits[n] = digit_chars[v % base];
        n++;
        v /= base;
    } while ((v != 0U) && (n < sizeof(digits)));
    if (negative != 0) {
        put(o, '-');
    }
    for (unsigned i = n; i < s->width; i++) {
        put(o, s->pad);
    }
    while (n > 0U) {
        n--;
        put(o, digits[n]);
    }
}

/* Parses the conversion after a '%' at fmt[start]; returns the index of its conversion character. */
static size_t parse_spec(const char *fmt, size_t start, struct spec *s)
{
    size_t i = start;

    s->pad = ' ';
    s->width = 0U;
    s->longs = 0U;
    if (fmt[i] == '0') {
        s->pad = '0';
        i++;
    }
    while ((fmt[i] >= '0') && (fmt[i] <= '9')) {
        s->width = (s->width * 10U) + ((unsigned)fmt[i] - (unsigned)'0');
        i++;
    }
    while (fmt[i] == 'l') {
        s->longs++;
        i++;
    }
    s->conv = fmt[i];
    return i;
}

static void put_conversion(struct out *o, const struct spec *s, va_list *ap)
{
    const char conv = s->conv;

    switch (conv) {
    case 's': put_string(o, va_arg(*ap, const char *)); break;
    case 'c': put(o, (char)va_arg(*ap, int)); break;
    case 'd': {
        int64_t v = (s->longs > 0U) ? va_arg(*ap, int64_t) : (int64_t)va_arg(*ap, int);
        uint64_t mag = (v < 0) ? ((uint64_t)0 - (uint64_t)v) : (uint64_t)v;
        put_number(o, mag, 10U, s, (v < 0) ? 1 : 0);
        break;
    }
    case 'u':
    case 'x': {
        uint64_t v = (s->longs > 0U) ? va_arg(*ap, uint64_t) : (uint64_t)va_arg(*ap, unsigned);
        put_number(o, v, (conv == 'u') ? 10U : 16U, s, 0);
        break;
    }
    case '%': put(o, '%'); break;
    default:
        /* Unknown conversion: print it literally rather than guess at va_arg. */
        put(o, '%');
        if (conv != '\0') {
            put(o, conv);
        }
        break;
    }
}

size_t bh_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    size_t i = 0;
    va_list args;

    va_copy(args, ap);
    while (fmt[i] != '\0') {
        if (fmt[i] != '%') {
            put(&o, fmt[i]);
            i++;
        } else {
            struct spec s;
            i = parse_spec(fmt, i + 1U, &s);
            put_conversion(&o, &s, &args);
            if (fmt[i] != '\0') {
                i++; /* past the conversion character */
            }
        }
    }
    va_end(args);
    if (o.size > 0U) {
        o.buf[o.len] = '\0';
    }
    return o.len;
}

size_t bh_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    size_t len = bh_vformat(buf, size, fmt, ap);
    va_end(ap);
    return len;
}
