#include "bulkhead/format.h"
#include <stdint.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if ((o->len + 1U) < o->size) {
        o->buf[o->len] = c;
        o->len++;
    }
}

static void put_number(struct out *o, uint64_t v, unsigned base, unsigned width, char pad, int negative)
{
    char digits[24];
    unsigned n = 0;

    do {
        unsigned d = (unsigned)(v % base);
        digits[n] = (char)((d < 10U) ? ('0' + d) : ('a' + (d - 10U)));
        n++;
        v /= base;
    } while ((v != 0U) && (n < sizeof(digits)));
    if (negative != 0) {
        put(o, '-');
    }
    for (unsigned i = n; i < width; i++) {
        put(o, pad);
    }
    while (n > 0U) {
        n--;
        put(o, digits[n]);
    }
}

size_t bh_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0;
        unsigned longs = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while ((*p >= '0') && (*p <= '9')) {
            width = (width * 10U) + (unsigned)(*p - '0');
            p++;
        }
        while (*p == 'l') {
            longs++;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            for (; *s != '\0'; s++) {
                put(&o, *s);
            }
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = (longs > 0U) ? va_arg(ap, int64_t) : (int64_t)va_arg(ap, int);
            uint64_t mag = (v < 0) ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            put_number(&o, mag, 10U, width, pad, (v < 0) ? 1 : 0);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = (longs > 0U) ? va_arg(ap, uint64_t) : (uint64_t)va_arg(ap, unsigned);
            put_number(&o, v, (*p == 'u') ? 10U : 16U, width, pad, 0);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            /* Unknown conversion: print it literally rather than guess at va_arg. */
            put(&o, '%');
            if (*p == '\0') {
                p--;
            } else {
                put(&o, *p);
            }
            break;
        }
    }
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
