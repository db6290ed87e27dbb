/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/console_filter.h"

#define BYTE_TAB        0x09U
#define BYTE_NEWLINE    0x0aU
#define BYTE_CR         0x0dU
#define BYTE_BACKSPACE  0x08U
#define BYTE_DEL        0x7fU
#define REPLACE_CONTROL '.'

void con_filter_reset(struct con_filter *f)
{
    *f = (struct con_filter){0};
}

static void filter_put(struct con_event *ev, uint8_t b)
{
    if (ev->len < CON_TEXT_MAX) {
        ev->text[ev->len] = b;
        ev->len++;
    }
}

static void put_control_replacement(struct con_event *ev)
{
    filter_put(ev, (uint8_t)REPLACE_CONTROL);
    ev->chars++;
    ev->replaced++;
}

/* U+FFFD REPLACEMENT CHARACTER for a broken sequence (Unicode ch. 3.9, "U+FFFD Substitution"). */
static void put_broken_replacement(struct con_filter *f, struct con_event *ev)
{
    filter_put(ev, 0xefU);
    filter_put(ev, 0xbfU);
    filter_put(ev, 0xbdU);
    ev->chars++;
    ev->replaced++;
    f->need = 0U;
    f->have = 0U;
}

static void filter_ascii(uint8_t b, struct con_event *ev)
{
    if (b == (uint8_t)BYTE_NEWLINE) {
        ev->kind = CON_EVENT_NEWLINE;
    } else if (b == (uint8_t)BYTE_BACKSPACE) {
        ev->kind = CON_EVENT_BACKSPACE;
    } else if (b == (uint8_t)BYTE_CR) {
        /* dropped: a carriage return would move the cursor back over the tag */
    } else if ((b == (uint8_t)BYTE_TAB) || ((b >= 0x20U) && (b < (uint8_t)BYTE_DEL))) {
        filter_put(ev, b);
        ev->chars++;
    } else {
        put_control_replacement(ev); /* C0 control or DEL */
    }
}

/* A lead byte (RFC 3629 ch. 4): 0xc2-0xdf, 0xe0-0xef, 0xf0-0xf4 open a sequence. */
static void filter_lead(struct con_filter *f, uint8_t b, struct con_event *ev)
{
    if (b < 0x80U) {
        filter_ascii(b, ev);
        return;
    }
    if ((b >= 0xc2U) && (b <= 0xdfU)) {
        f->need = 1U;
        f->code = (uint32_t)b & 0x1fU;
        f->min = 0x80U;
    } else if ((b >= 0xe0U) && (b <= 0xefU)) {
        f->need = 2U;
        f->code = (uint32_t)b & 0x0fU;
        f->min = 0x800U;
    } else if ((b >= 0xf0U) && (b <= 0xf4U)) {
        f->need = 3U;
        f->code = (uint32_t)b & 0x07U;
        f->min = 0x10000U;
    } else {
        /* a continuation byte without a lead, 0xc0/0xc1 (overlong) or 0xf5-0xff */
        put_broken_replacement(f, ev);
        return;
    }
    f->seq[0] = b;
    f->have = 1U;
}

static void filter_complete(struct con_filter *f, struct con_event *ev)
{
    uint32_t c = f->code;

    if ((c < f->min) || ((c >= 0xd800U) && (c <= 0xdfffU)) || (c > 0x10ffffU)) {
        put_broken_replacement(f, ev);
        return;
    }
    if (c <= 0x9fU) {
        /* U+0080..U+009F are the C1 controls (CSI is U+009B). */
        put_control_replacement(ev);
    } else {
        for (uint32_t i = 0U; i < f->have; i++) {
            filter_put(ev, f->seq[i]);
        }
        ev->chars++;
    }
    f->have = 0U;
}

void con_filter_byte(struct con_filter *f, uint8_t b, struct con_event *ev)
{
    *ev = (struct con_event){0};
    ev->kind = CON_EVENT_TEXT;
    if (f->need == 0U) {
        filter_lead(f, b, ev);
        return;
    }
    if ((b & 0xc0U) != 0x80U) {
        /* The sequence broke off: replace what came, then read b afresh. */
        put_broken_replacement(f, ev);
        filter_lead(f, b, ev);
        return;
    }
    f->code = (f->code << 6) | ((uint32_t)b & 0x3fU);
    f->seq[f->have] = b;
    f->have++;
    f->need--;
    if (f->need == 0U) {
        filter_complete(f, ev);
    }
}
