/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit tests of the console output filter (src/core/console_filter.c):
 * what a cell prints may not move the terminal's cursor or forge text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bulkhead/console_filter.h"

struct outcome {
    uint8_t text[256];
    size_t len;
    uint32_t chars;
    uint32_t replaced;
    uint32_t newlines;
    uint32_t backspaces;
};

static struct outcome feed(const uint8_t *in, size_t n)
{
    struct con_filter f;
    struct outcome o;

    memset(&o, 0, sizeof(o));
    con_filter_reset(&f);
    for (size_t i = 0; i < n; i++) {
        struct con_event ev;
        con_filter_byte(&f, in[i], &ev);
        assert_true(ev.len <= CON_TEXT_MAX);
        memcpy(&o.text[o.len], ev.text, ev.len);
        o.len += ev.len;
        o.chars += ev.chars;
        o.replaced += ev.replaced;
        o.newlines += (ev.kind == CON_EVENT_NEWLINE) ? 1U : 0U;
        o.backspaces += (ev.kind == CON_EVENT_BACKSPACE) ? 1U : 0U;
    }
    return o;
}

#define FEED(lit) feed((const uint8_t *)(lit), sizeof(lit) - 1U)

static void expect_text(const struct outcome *o, const char *text)
{
    assert_int_equal(o->len, strlen(text));
    assert_memory_equal(o->text, text, o->len);
}

/* Every byte of the output must be printable ASCII, TAB, or part of a valid
 * non-C1 UTF-8 character: nothing a terminal would act on. */
static void assert_inert(const struct outcome *o)
{
    for (size_t i = 0; i < o->len; i++) {
        uint8_t b = o->text[i];
        assert_true((b == 0x09U) || ((b >= 0x20U) && (b != 0x7fU)));
        if ((b == 0xc2U) && ((i + 1U) < o->len)) {
            assert_true(o->text[i + 1U] >= 0xa0U); /* not U+0080..U+009F */
        }
    }
}

/* verifies: CON-2 */
static void test_plain_text_and_tab_pass(void **state)
{
    (void)state;
    struct outcome o = FEED("msh />\tok");
    expect_text(&o, "msh />\tok");
    assert_int_equal(o.chars, 9);
    assert_int_equal(o.replaced, 0);
}

/* verifies: CON-2, CON-3 */
static void test_newline_and_backspace_are_events(void **state)
{
    (void)state;
    struct outcome o = FEED("ab\b\n");
    expect_text(&o, "ab");
    assert_int_equal(o.backspaces, 1);
    assert_int_equal(o.newlines, 1);
}

/* verifies: CON-2 */
static void test_carriage_return_dropped(void **state)
{
    (void)state;
    struct outcome o = FEED("[victim] forged\r[x]");
    expect_text(&o, "[victim] forged[x]");
    assert_int_equal(o.replaced, 0);
}

/* verifies: CON-2 */
static void test_c0_escape_and_del_replaced(void **state)
{
    (void)state;
    struct outcome o = FEED("\x1b[2J\x1b[1;1H\x07\x7f");
    expect_text(&o, ".[2J.[1;1H..");
    assert_int_equal(o.replaced, 4);
    assert_inert(&o);
}

/* verifies: CON-2 */
static void test_raw_c1_bytes_replaced(void **state)
{
    (void)state;
    /* 0x9b is CSI in 8-bit terminals; alone it is not UTF-8. */
    struct outcome o = FEED("\x9b"
                            "2J\x9d"
                            "0;x\x07");
    assert_int_equal(o.replaced, 3);
    assert_inert(&o);
    assert_null(memchr(o.text, 0x9b, o.len));
}

/* verifies: CON-2 */
static void test_utf8_encoded_c1_replaced(void **state)
{
    (void)state;
    /* U+009B (CSI) encoded as C2 9B: valid UTF-8, still a control. */
    struct outcome o = FEED("\xc2\x9b"
                            "1A\xc2\x85");
    expect_text(&o, ".1A.");
    assert_int_equal(o.replaced, 2);
}

/* verifies: CON-2 */
static void test_valid_utf8_passes(void **state)
{
    (void)state;
    /* é, €, 😀 and U+00A0 (the first character after C1) */
    struct outcome o = FEED("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc2\xa0");
    expect_text(&o, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc2\xa0");
    assert_int_equal(o.chars, 4);
    assert_int_equal(o.replaced, 0);
}

/* verifies: CON-2 */
static void test_overlong_and_surrogates_replaced(void **state)
{
    (void)state;
    /* overlong '/', overlong ESC in 3 bytes, a surrogate, beyond U+10FFFF, C0/C1 lead bytes */
    struct outcome o = FEED("\xc0\xaf\xe0\x80\x9b\xed\xa0\x80\xf4\x90\x80\x80\xf5\x80");
    assert_inert(&o);
    assert_int_equal(o.chars, o.replaced);
    assert_true(o.replaced >= 5);
    /* only replacement characters came out */
    for (size_t i = 0; i < o.len; i += 3U) {
        assert_memory_equal(&o.text[i], "\xef\xbf\xbd", 3);
    }
}

/* verifies: CON-2 */
static void test_broken_sequence_then_control(void **state)
{
    (void)state;
    /* A lead byte cut off by ESC: the ESC must not slip through as part of it. */
    struct outcome o = FEED("\xe2\x82\x1b[2Jz");
    assert_inert(&o);
    assert_memory_equal(o.text, "\xef\xbf\xbd.[2Jz", 8);
    assert_int_equal(o.replaced, 2);
}

/* verifies: CON-2 */
static void test_broken_sequence_then_newline(void **state)
{
    (void)state;
    struct outcome o = FEED("\xf0\x9f\n");
    expect_text(&o, "\xef\xbf\xbd");
    assert_int_equal(o.newlines, 1);
}

/* verifies: CON-2 */
static void test_every_byte_pair_is_inert(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256U; a++) {
        for (unsigned b = 0; b < 256U; b++) {
            uint8_t in[3] = {(uint8_t)a, (uint8_t)b, (uint8_t)'x'};
            struct outcome o = feed(in, 3);
            assert_inert(&o);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_and_tab_pass),
        cmocka_unit_test(test_newline_and_backspace_are_events),
        cmocka_unit_test(test_carriage_return_dropped),
        cmocka_unit_test(test_c0_escape_and_del_replaced),
        cmocka_unit_test(test_raw_c1_bytes_replaced),
        cmocka_unit_test(test_utf8_encoded_c1_replaced),
        cmocka_unit_test(test_valid_utf8_passes),
        cmocka_unit_test(test_overlong_and_surrogates_replaced),
        cmocka_unit_test(test_broken_sequence_then_control),
        cmocka_unit_test(test_broken_sequence_then_newline),
        cmocka_unit_test(test_every_byte_pair_is_inert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
