/* SPDX-License-Identifier: Apache-2.0 */
/* Host tests of the console's command keys (src/core/console_command.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulkhead/console_command.h"

#define KEY 0x14U /* Ctrl-T */

struct step {
    const char *typed;        /* bytes typed, in order */
    enum con_cmd_action last; /* the action of the last byte */
    uint32_t value;           /* its value (FOCUS, NO_CELL, DELIVER) */
};

/* Feeds typed into a fresh parser of num_cells cells: every byte before the
 * last must be PENDING (the command is still being typed). */
static void expect(uint32_t num_cells, const struct step *s)
{
    struct con_cmd c;
    struct con_cmd_result r = {CON_CMD_PENDING, 0U};
    size_t n = strlen(s->typed);

    con_cmd_init(&c, num_cells, (uint8_t)KEY);
    for (size_t i = 0; i < n; i++) {
        r = con_cmd_byte(&c, (uint8_t)s->typed[i]);
        if (i + 1U < n) {
            assert_int_equal(r.action, CON_CMD_PENDING);
        }
    }
    assert_int_equal(r.action, s->last);
    assert_int_equal(r.value, s->value);
    assert_int_equal(c.state, CON_CMD_NONE);
}

static void run(uint32_t num_cells, const struct step *steps, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        expect(num_cells, &steps[i]);
    }
}

/* verifies: CON-8 */
static void test_up_to_ten_cells_one_digit_acts_at_once(void **state)
{
    static const struct step steps[] = {
        {"\x14"
         "0",
         CON_CMD_FOCUS, 0U},
        {"\x14"
         "3",
         CON_CMD_FOCUS, 3U},
        {"\x14"
         "4",
         CON_CMD_NO_CELL, 4U},
        {"\x14"
         "9",
         CON_CMD_NO_CELL, 9U},
        {"\x14"
         "s",
         CON_CMD_STATS, 0U},
        {"\x14"
         "h",
         CON_CMD_HELP, 0U},
        {"\x14\x14", CON_CMD_DELIVER, KEY},
        {"a", CON_CMD_DELIVER, 'a'},
        {"\r", CON_CMD_DELIVER, '\r'},
    };
    (void)state;
    run(4U, steps, sizeof(steps) / sizeof(steps[0]));
    /* Ten cells: 9 is the last one-digit cell and still acts at once. */
    static const struct step ten[] = {{"\x14"
                                       "9",
                                       CON_CMD_FOCUS, 9U},
                                      {"\x14"
                                       "1",
                                       CON_CMD_FOCUS, 1U}};
    run(10U, ten, 2U);
}

/* verifies: CON-8 */
static void test_sixty_four_cells(void **state)
{
    static const struct step steps[] = {
        {"\x14"
         "12",
         CON_CMD_FOCUS, 12U},
        {"\x14"
         "63",
         CON_CMD_FOCUS, 63U},
        {"\x14"
         "7",
         CON_CMD_FOCUS, 7U}, /* 70.. name no cell: 7 ends by itself */
        {"\x14"
         "1\r",
         CON_CMD_FOCUS, 1U}, /* 10..19 exist: Enter ends it */
        {"\x14"
         "6\n",
         CON_CMD_FOCUS, 6U},
        {"\x14"
         "0",
         CON_CMD_FOCUS, 0U},
        {"\x14"
         "64",
         CON_CMD_NO_CELL, 64U},
        {"\x14"
         "1x",
         CON_CMD_HELP, 0U}, /* a number broken off asks for help */
    };
    (void)state;
    run(64U, steps, sizeof(steps) / sizeof(steps[0]));
}

/* verifies: CON-8 */
static void test_eleven_cells(void **state)
{
    static const struct step steps[] = {
        {"\x14"
         "10",
         CON_CMD_FOCUS, 10U},
        {"\x14"
         "11",
         CON_CMD_NO_CELL, 11U},
        {"\x14"
         "2",
         CON_CMD_FOCUS, 2U},
        {"\x14"
         "1\r",
         CON_CMD_FOCUS, 1U},
    };
    (void)state;
    run(11U, steps, sizeof(steps) / sizeof(steps[0]));
}

/* verifies: CON-8 */
static void test_typing_resumes_after_a_command(void **state)
{
    struct con_cmd c;
    struct con_cmd_result r;
    (void)state;

    con_cmd_init(&c, 64U, (uint8_t)KEY);
    (void)con_cmd_byte(&c, (uint8_t)KEY);
    (void)con_cmd_byte(&c, (uint8_t)'2');
    r = con_cmd_byte(&c, (uint8_t)'0');
    assert_int_equal(r.action, CON_CMD_FOCUS);
    assert_int_equal(r.value, 20U);
    /* The next digit is text for the cell, not part of a number. */
    r = con_cmd_byte(&c, (uint8_t)'5');
    assert_int_equal(r.action, CON_CMD_DELIVER);
    assert_int_equal(r.value, '5');
    /* A new command starts its number afresh. */
    (void)con_cmd_byte(&c, (uint8_t)KEY);
    r = con_cmd_byte(&c, (uint8_t)'9');
    assert_int_equal(r.action, CON_CMD_FOCUS);
    assert_int_equal(r.value, 9U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_up_to_ten_cells_one_digit_acts_at_once),
        cmocka_unit_test(test_sixty_four_cells),
        cmocka_unit_test(test_eleven_cells),
        cmocka_unit_test(test_typing_resumes_after_a_command),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
