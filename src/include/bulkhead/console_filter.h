/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What of a cell's console output may reach the shared terminal: pure logic,
 * no hardware access, unit-tested on the host. A cell must not be able to
 * move the cursor over, erase or imitate another cell's lines, so only
 * printable text passes: valid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) without C0 or C1 controls (ECMA-48
 * 5.2, 5.3), plus TAB. Newline and backspace come out as events for the
 * caller, which knows the line and the column; CR is dropped (it would
 * return to the tag). Everything else is replaced and counted.
 */
#ifndef BULKHEAD_CONSOLE_FILTER_H
#define BULKHEAD_CONSOLE_FILTER_H

#include <stdint.h>

#define CON_EVENT_TEXT      0U /* text[0..len) is len bytes of `chars` whole characters */
#define CON_EVENT_NEWLINE   1U /* after text, if any: the cell ended its line */
#define CON_EVENT_BACKSPACE 2U /* after text, if any: erase the previous character */

#define CON_TEXT_MAX 8U /* a replaced broken sequence (3 bytes) plus one character (4 bytes) */

struct con_filter {
    uint32_t code; /* code point being assembled */
    uint32_t min;  /* smallest code point the sequence's length may encode */
    uint8_t need;  /* continuation bytes still expected */
    uint8_t have;  /* bytes of the sequence so far, in seq */
    uint8_t seq[4];
};

struct con_event {
    uint32_t kind;     /* CON_EVENT_* */
    uint32_t len;      /* bytes in text */
    uint32_t chars;    /* characters in text */
    uint32_t replaced; /* input characters or broken sequences replaced */
    uint8_t text[CON_TEXT_MAX];
};

void con_filter_reset(struct con_filter *f);
/* Feeds one output byte of the cell; *ev says what to print. */
void con_filter_byte(struct con_filter *f, uint8_t b, struct con_event *ev);

#endif
