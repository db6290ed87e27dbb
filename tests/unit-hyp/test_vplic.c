/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit tests of the virtual PLIC state machine (src/core/vplic.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "bulkhead/vplic.h"

#define CTX_S(v)          ((2U * (v)) + 1U)
#define PRIO(src)         (VPLIC_PRIORITY_BASE + (4U * (src)))
#define ENABLE(ctx, word) (VPLIC_ENABLE_BASE + ((ctx)*VPLIC_ENABLE_STRIDE) + (4U * (word)))
#define THRESHOLD(ctx)    (VPLIC_CONTEXT_BASE + ((ctx)*VPLIC_CONTEXT_STRIDE))
#define CLAIM(ctx)        (THRESHOLD(ctx) + 4U)

static const uint32_t owned[] = {1, 3, 10, 40};
static struct vplic v;

static int setup(void **state)
{
    (void)state;
    vplic_init(&v, 2, owned, 4);
    return 0;
}

static void enable(uint32_t vhart, uint32_t src)
{
    uint32_t off = ENABLE(CTX_S(vhart), src / 32U);
    uint32_t cur = vplic_read(&v, off).value;
    struct vplic_result r = vplic_write(&v, off, cur | (1U << (src % 32U)));
    assert_int_equal(r.denied, 0);
}

/* verifies: IRQ-1 */
static void test_claim_order_priority_then_id(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(1), 2);
    vplic_write(&v, PRIO(3), 5);
    vplic_write(&v, PRIO(10), 5);
    enable(0, 1);
    enable(0, 3);
    enable(0, 10);
    vplic_raise(&v, 10);
    vplic_raise(&v, 1);
    vplic_raise(&v, 3);
    assert_int_equal(vplic_line(&v, 0), 1);
    /* highest priority first; equal priorities: lowest id */
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 3);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 10);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 1);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 0);
    assert_int_equal(vplic_line(&v, 0), 0);
}

/* verifies: IRQ-1 */
static void test_threshold_masks(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(10), 3);
    enable(1, 10);
    vplic_write(&v, THRESHOLD(CTX_S(1)), 3);
    vplic_raise(&v, 10);
    /* priority must exceed the threshold (PLIC spec ch. 7) */
    assert_int_equal(vplic_line(&v, 1), 0);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(1))).value, 0);
    vplic_write(&v, THRESHOLD(CTX_S(1)), 2);
    assert_int_equal(vplic_line(&v, 1), 1);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(1))).value, 10);
}

/* verifies: IRQ-1 */
static void test_priority_zero_never_interrupts(void **state)
{
    (void)state;
    enable(0, 40);
    vplic_raise(&v, 40);
    assert_int_equal(vplic_line(&v, 0), 0);
    assert_int_equal(vplic_read(&v, VPLIC_PENDING_BASE + 4U).value, 1U << (40U - 32U));
}

/* verifies: IRQ-1 */
static void test_complete_of_unclaimed_ignored(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(3), 1);
    enable(0, 3);
    struct vplic_result r = vplic_write(&v, CLAIM(CTX_S(0)), 3);
    assert_int_equal(r.completed, 0);
    assert_int_equal(r.denied, 0);
    vplic_raise(&v, 3);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 3);
    /* in service: a new request waits in the gateway */
    vplic_raise(&v, 3);
    assert_int_equal(vplic_line(&v, 0), 0);
    r = vplic_write(&v, CLAIM(CTX_S(0)), 3);
    assert_int_equal(r.completed, 3);
    r = vplic_write(&v, CLAIM(CTX_S(0)), 3);
    assert_int_equal(r.completed, 0);
}

/* verifies: ISO-DEV-2 */
static void test_foreign_source_invisible(void **state)
{
    (void)state;
    /* source 5 belongs to another cell */
    struct vplic_result r = vplic_write(&v, PRIO(5), 7);
    assert_int_equal(r.denied, 1);
    assert_int_equal(vplic_read(&v, PRIO(5)).value, 0);
    r = vplic_write(&v, ENABLE(CTX_S(0), 0), 1U << 5);
    assert_int_equal(r.denied, 1);
    assert_int_equal(vplic_read(&v, ENABLE(CTX_S(0), 0)).value, 0);
    vplic_raise(&v, 5);
    assert_int_equal(vplic_read(&v, VPLIC_PENDING_BASE).value, 0);
    /* Not even internally: a foreign source must never become pending, or a
     * later change of the read masks would expose it. */
    assert_int_equal(v.pending[0] & (1U << 5), 0);
    r = vplic_write(&v, CLAIM(CTX_S(0)), 5);
    assert_int_equal(r.completed, 0);
    assert_int_equal(r.denied, 1);
}

/* verifies: ISO-DEV-2 */
static void test_foreign_context_unreachable(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(1), 1);
    enable(0, 1);
    vplic_raise(&v, 1);
    /* the cell has 2 virtual harts: context 5 is vhart 2's, which does not exist */
    struct vplic_result r = vplic_read(&v, CLAIM(5));
    assert_int_equal(r.value, 0);
    assert_int_equal(r.denied, 1);
    r = vplic_write(&v, ENABLE(5, 0), 0xffffffffU);
    assert_int_equal(r.denied, 1);
    /* M-mode contexts exist in the numbering but do nothing */
    r = vplic_read(&v, CLAIM(0));
    assert_int_equal(r.value, 0);
    assert_int_equal(r.denied, 0);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 1);
}

/* verifies: IRQ-1 */
static void test_enable_per_context(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(10), 1);
    enable(1, 10);
    vplic_raise(&v, 10);
    assert_int_equal(vplic_line(&v, 0), 0);
    assert_int_equal(vplic_line(&v, 1), 1);
    /* completing from a context where the source is not enabled is ignored */
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(1))).value, 10);
    assert_int_equal(vplic_write(&v, CLAIM(CTX_S(0)), 10).completed, 0);
    assert_int_equal(vplic_write(&v, CLAIM(CTX_S(1)), 10).completed, 10);
}

/* verifies: IRQ-1 */
static void test_priority_clamped(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(1), 0xffffffffU);
    assert_int_equal(vplic_read(&v, PRIO(1)).value, VPLIC_MAX_PRIORITY);
}

/* The state a doorbell ring is merged against (src/core/doorbell.c): pending, then in service. */
/* verifies: ISO-SHM-2 */
static void test_source_state(void **state)
{
    (void)state;
    vplic_write(&v, PRIO(40), 1);
    enable(1, 40);
    assert_int_equal(vplic_source_state(&v, 40), 0);
    vplic_raise(&v, 40);
    assert_int_equal(vplic_source_state(&v, 40), VPLIC_SOURCE_PENDING);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(1))).value, 40);
    assert_int_equal(vplic_source_state(&v, 40), VPLIC_SOURCE_ACTIVE);
    vplic_raise(&v, 40); /* the gateway holds nothing while in service: doorbell.c latches it */
    assert_int_equal(vplic_source_state(&v, 40), VPLIC_SOURCE_ACTIVE);
    assert_int_equal(vplic_write(&v, CLAIM(CTX_S(1)), 40).completed, 40);
    assert_int_equal(vplic_source_state(&v, 40), 0);
    assert_int_equal(vplic_source_state(&v, VPLIC_MAX_SOURCES), 0);
}

/* The exit path re-evaluates the lines only after a change: every access
 * that can move a line says so, and a rewrite of the same value does not. */
/* verifies: IRQ-1 */
static void test_changed_only_when_state_moves(void **state)
{
    (void)state;
    assert_int_equal(vplic_write(&v, PRIO(3), 4).changed, 1);
    assert_int_equal(vplic_write(&v, PRIO(3), 4).changed, 0);
    assert_int_equal(vplic_write(&v, PRIO(3), 99).changed, 1);  /* clamped to the maximum: a new value */
    assert_int_equal(vplic_write(&v, PRIO(3), 100).changed, 0); /* the same maximum again */
    assert_int_equal(vplic_write(&v, PRIO(2), 4).changed, 0);   /* foreign: denied, nothing moved */
    assert_int_equal(vplic_write(&v, ENABLE(CTX_S(0), 0), 1U << 3).changed, 1);
    assert_int_equal(vplic_write(&v, ENABLE(CTX_S(0), 0), 1U << 3).changed, 0);
    assert_int_equal(vplic_write(&v, THRESHOLD(CTX_S(0)), 1).changed, 1);
    assert_int_equal(vplic_write(&v, THRESHOLD(CTX_S(0)), 1).changed, 0);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).changed, 0); /* nothing pending */
    vplic_raise(&v, 3);
    struct vplic_result claim = vplic_read(&v, CLAIM(CTX_S(0)));
    assert_int_equal(claim.value, 3);
    assert_int_equal(claim.changed, 1);
    assert_int_equal(vplic_read(&v, PRIO(3)).changed, 0);
    assert_int_equal(vplic_write(&v, CLAIM(CTX_S(0)), 3).changed, 1); /* completed */
    assert_int_equal(vplic_write(&v, CLAIM(CTX_S(0)), 3).changed, 0); /* not in service any more */
}

/* Source 31 is the last bit of its enable/pending word: the claim scan must
 * stop at bit 31 (make prove found the scan shifting by 32; issue 20). */
/* verifies: IRQ-1 */
static void test_claim_of_last_bit_in_word(void **state)
{
    static const uint32_t word_end[] = {31, 63};

    (void)state;
    vplic_init(&v, 1, word_end, 2);
    vplic_write(&v, PRIO(31), 3);
    vplic_write(&v, PRIO(63), 2);
    enable(0, 31);
    enable(0, 63);
    vplic_raise(&v, 63);
    vplic_raise(&v, 31);
    assert_int_equal(vplic_line(&v, 0), 1);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 31);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 63);
    assert_int_equal(vplic_read(&v, CLAIM(CTX_S(0))).value, 0);
    assert_int_equal(vplic_line(&v, 0), 0);
}

/* The priority registers' own entry points answer as vplic_read / vplic_write do. */
/* verifies: IRQ-1 */
static void test_priority_entry_points_match(void **state)
{
    (void)state;
    /* owned, foreign, reserved source 0, past the last source */
    const uint32_t srcs[] = {1U, 2U, 3U, 10U, 40U, 0U, VPLIC_MAX_SOURCES};
    for (uint32_t i = 0U; i < (sizeof(srcs) / sizeof(srcs[0])); i++) {
        uint32_t off = PRIO(srcs[i]);
        for (uint32_t value = 0U; value < 10U; value += 3U) {
            struct vplic w = v;
            uint32_t holds = vplic_priority_holds(&v, off, value);
            struct vplic_result r = vplic_write(&w, off, value);
            /* holds: an own source that the write leaves as it is */
            uint32_t own = ((srcs[i] == 1U) || (srcs[i] == 3U) || (srcs[i] == 10U) || (srcs[i] == 40U)) ? 1U : 0U;
            assert_int_equal(holds, ((own != 0U) && (r.changed == 0U)) ? 1U : 0U);
            uint32_t done = vplic_write_priority(&v, off, value);
            assert_memory_equal(&w, &v, sizeof(v));
            assert_int_equal((done & VPLIC_PRIORITY_CHANGED) != 0U, r.changed);
            assert_int_equal((done & VPLIC_PRIORITY_DENIED) != 0U, r.denied);
            assert_int_equal(vplic_priority_of(&v, off), vplic_read(&v, off).value);
        }
    }
    assert_int_equal(vplic_priority_of(&v, PRIO(10)), 7); /* the last write, 9, clamped */
    assert_int_equal(vplic_priority_of(&v, PRIO(2)), 0);  /* foreign: reads 0 */
    /* The same value again changes nothing. */
    assert_int_equal(vplic_write_priority(&v, PRIO(10), 7), 0);
    assert_int_equal(vplic_write_priority(&v, PRIO(10), 4), VPLIC_PRIORITY_CHANGED);
    assert_int_equal(vplic_write_priority(&v, PRIO(2), 4), VPLIC_PRIORITY_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_claim_order_priority_then_id, setup),
        cmocka_unit_test_setup(test_threshold_masks, setup),
        cmocka_unit_test_setup(test_priority_zero_never_interrupts, setup),
        cmocka_unit_test_setup(test_complete_of_unclaimed_ignored, setup),
        cmocka_unit_test_setup(test_foreign_source_invisible, setup),
        cmocka_unit_test_setup(test_foreign_context_unreachable, setup),
        cmocka_unit_test_setup(test_enable_per_context, setup),
        cmocka_unit_test_setup(test_priority_clamped, setup),
        cmocka_unit_test_setup(test_source_state, setup),
        cmocka_unit_test_setup(test_changed_only_when_state_moves, setup),
        cmocka_unit_test(test_claim_of_last_bit_in_word),
        cmocka_unit_test_setup(test_priority_entry_points_match, setup),
    };
    return cmocka_run_group_tests_name("vplic", tests, NULL, NULL);
}
