/* SPDX-License-Identifier: Apache-2.0 */
/* Host tests of a hart's arrival at boot (src/core/hart_arrival.c): the boot
 * hart's wait and the hart's own arrival decide once, whichever comes first,
 * even when the hart arrives in the instant the boot hart gives up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "bulkhead/hart.h"

struct bh_hart bh_hart_state[BH_NUM_HARTS];

/* The test's clock: each reading advances it by one; at arrive_at_reading
 * the hart arrives inside the reading, the moment between the boot hart's
 * deadline check and its compare-and-swap. */
static uint64_t clock_now;
static uint64_t arrive_at_reading;
static uint32_t late_arrival_result;

uint64_t arch_time_now(void)
{
    clock_now++;
    if (clock_now == arrive_at_reading) {
        late_arrival_result = bh_hart_arrive(&bh_hart_state[0]);
    }
    return clock_now;
}

static int reset(void **state)
{
    (void)state;
    memset(bh_hart_state, 0, sizeof(bh_hart_state));
    clock_now = 0U;
    arrive_at_reading = 0U;
    late_arrival_result = 0xffU;
    return 0;
}

/* verifies: BOOT-3 */
static void test_arrived_before_the_wait(void **state)
{
    (void)state;
    assert_int_equal(bh_hart_arrive(&bh_hart_state[0]), 1U);
    assert_int_equal(bh_hart_wait_arrived(0U, 10U), 1U);
    assert_int_equal(bh_hart_missing(0U), 0U);
    assert_int_equal(bh_hart_state[0].stats.count[BH_STAT_HART_MISSING], 0U);
}

/* verifies: BOOT-3 */
static void test_arrives_during_the_wait(void **state)
{
    (void)state;
    arrive_at_reading = 5U; /* well before the deadline */
    assert_int_equal(bh_hart_wait_arrived(0U, 10U), 1U);
    assert_int_equal(late_arrival_result, 1U);
    assert_int_equal(bh_hart_missing(0U), 0U);
}

/* verifies: BOOT-3 */
static void test_never_arrives_then_comes_late(void **state)
{
    (void)state;
    assert_int_equal(bh_hart_wait_arrived(0U, 10U), 0U);
    assert_true(clock_now > 10U);
    assert_int_equal(bh_hart_missing(0U), 1U);
    assert_int_equal(bh_hart_state[0].stats.count[BH_STAT_HART_MISSING], 1U);
    /* the hart comes after all: it must stay out of its cell */
    assert_int_equal(bh_hart_arrive(&bh_hart_state[0]), 0U);
    assert_int_equal(bh_hart_missing(0U), 1U);
    assert_int_equal(bh_hart_state[0].stats.count[BH_STAT_HART_MISSING], 1U);
}

/* verifies: BOOT-3 */
static void test_arrives_in_the_instant_the_wait_gives_up(void **state)
{
    (void)state;
    arrive_at_reading = 11U; /* the first reading past the deadline */
    assert_int_equal(bh_hart_wait_arrived(0U, 10U), 1U);
    assert_int_equal(late_arrival_result, 1U);
    assert_int_equal(bh_hart_missing(0U), 0U);
    assert_int_equal(bh_hart_state[0].stats.count[BH_STAT_HART_MISSING], 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_arrived_before_the_wait, reset),
        cmocka_unit_test_setup(test_arrives_during_the_wait, reset),
        cmocka_unit_test_setup(test_never_arrives_then_comes_late, reset),
        cmocka_unit_test_setup(test_arrives_in_the_instant_the_wait_gives_up, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
