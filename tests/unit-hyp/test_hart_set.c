/* SPDX-License-Identifier: Apache-2.0 */
/* Host tests of hart sets (src/core/hart_set.c): guest masks to virtual harts,
 * virtual harts to firmware windows, for hart ids far past 64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bulkhead/hart_set.h"
#include "bulkhead/sbi_defs.h"

/* verifies: SBI-HART-1 */
static void test_mask_names_only_the_cells_harts(void **state)
{
    uint64_t v = 0xdeadU;
    (void)state;
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x5U, 0U, &v), SBI_SUCCESS);
    assert_int_equal(v, 0x5U);
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x3U, 1U, &v), SBI_SUCCESS);
    assert_int_equal(v, 0x6U);
    v = 0xdeadU;
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x8U, 0U, &v), SBI_ERR_INVALID_PARAM);
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x1U, 3U, &v), SBI_ERR_INVALID_PARAM);
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x4U, 1U, &v), SBI_ERR_INVALID_PARAM);
    /* a base past every hart, in a way that would wrap an unsigned subtraction */
    assert_int_equal(bh_hart_set_from_sbi(3U, 0x1U, ~0UL - 1UL, &v), SBI_ERR_INVALID_PARAM);
    assert_int_equal(v, 0xdeadU); /* a refused call names no hart */
    assert_int_equal(bh_hart_set_from_sbi(3U, 0U, 0U, &v), SBI_SUCCESS);
    assert_int_equal(v, 0U);
}

/* verifies: SBI-HART-1 */
static void test_base_minus_one_is_the_whole_cell(void **state)
{
    uint64_t v = 0;
    (void)state;
    assert_int_equal(bh_hart_set_from_sbi(2U, 0U, ~0UL, &v), SBI_SUCCESS);
    assert_int_equal(v, 0x3U);
    assert_int_equal(bh_hart_set_from_sbi(64U, 0U, ~0UL, &v), SBI_SUCCESS);
    assert_int_equal(v, ~0UL);
    assert_int_equal(bh_hart_set_from_sbi(64U, 1UL << 63, 0U, &v), SBI_SUCCESS);
    assert_int_equal(v, 1UL << 63);
}

struct window {
    uint64_t base;
    uint64_t mask;
};

/* Drains pending into windows; at most max windows. */
static size_t windows(const uint32_t *harts, uint32_t n, uint64_t pending, struct window *out, size_t max)
{
    size_t k = 0;
    while (pending != 0U) {
        assert_true(k < max);
        out[k].mask = bh_hart_set_next_window(harts, n, &pending, &out[k].base);
        k++;
    }
    return k;
}

/* The SBI definition, bit by bit: bit i of mask names hart base + i, which must exist. */
static long reference_from_sbi(uint32_t num_harts, uint64_t mask, uint64_t base, uint64_t *vharts)
{
    uint64_t out = 0;

    for (uint64_t bit = 0; bit < 64U; bit++) {
        if (((mask >> bit) & 1UL) != 0UL) {
            if ((base >= num_harts) || (bit >= ((uint64_t)num_harts - base))) {
                return SBI_ERR_INVALID_PARAM;
            }
            out |= 1UL << (base + bit);
        }
    }
    *vharts = out;
    return SBI_SUCCESS;
}

/* verifies: SBI-HART-1 */
static void test_mask_arithmetic_matches_the_definition(void **state)
{
    static const uint64_t masks[] = {0x1U,      0x2U,      0x3U,      0x5U,      0x80U,     0xffU,
                                     0xf0f0U,   1UL << 31, 1UL << 32, 1UL << 62, 1UL << 63, 0x8000000000000001UL,
                                     ~0UL >> 1, ~0UL};
    static const uint64_t bases[] = {0U, 1U, 2U, 3U, 7U, 31U, 32U, 62U, 63U, 64U, 65U, 1000U, ~0UL - 1UL};
    (void)state;

    for (uint32_t n = 1U; n <= 64U; n++) {
        for (size_t m = 0; m < (sizeof(masks) / sizeof(masks[0])); m++) {
            for (size_t b = 0; b < (sizeof(bases) / sizeof(bases[0])); b++) {
                uint64_t want = 0xdeadU;
                uint64_t got = 0xdeadU;
                long want_rc = reference_from_sbi(n, masks[m], bases[b], &want);
                long got_rc = bh_hart_set_from_sbi(n, masks[m], bases[b], &got);
                assert_int_equal(got_rc, want_rc);
                assert_int_equal(got, want);
            }
        }
    }
}

/* verifies: SBI-HART-1 */
static void test_hart_ids_past_64_never_wrap(void **state)
{
    /* The 72-hart case that once wrapped: 64 -> 0, 65 -> 1, 70 -> 6. */
    const uint32_t harts[] = {64U, 65U, 70U, 2U};
    struct window w[4];
    (void)state;
    size_t k = windows(harts, 4U, 0xfU, w, 4U);
    assert_int_equal(k, 2U);
    assert_int_equal(w[0].base, 64U);
    assert_int_equal(w[0].mask, (1UL << 0) | (1UL << 1) | (1UL << 6));
    assert_int_equal(w[1].base, 0U);
    assert_int_equal(w[1].mask, 1UL << 2);
}

/* verifies: SBI-HART-1 */
static void test_windows_cover_exactly_the_named_harts(void **state)
{
    const uint32_t harts[] = {127U, 0U, 63U, 64U, 1000U, 128U};
    struct window w[8];
    (void)state;
    /* virtual harts 0, 2, 3, 4, 5 but not 1 (physical 0) */
    size_t k = windows(harts, 6U, 0x3dU, w, 8U);
    uint64_t seen[6] = {0};
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(w[i].base % 64U, 0U);
        assert_int_not_equal(w[i].mask, 0U);
        for (uint32_t b = 0; b < 64U; b++) {
            if (((w[i].mask >> b) & 1U) == 0U) {
                continue;
            }
            uint64_t id = w[i].base + b;
            int found = 0;
            for (uint32_t v = 0; v < 6U; v++) {
                if ((harts[v] == id) && (((0x3dU >> v) & 1U) != 0U)) {
                    seen[v]++;
                    found = 1;
                }
            }
            assert_true(found); /* no hart outside the set */
        }
    }
    assert_int_equal(seen[0], 1U);
    assert_int_equal(seen[1], 0U);
    assert_int_equal(seen[2], 1U);
    assert_int_equal(seen[3], 1U);
    assert_int_equal(seen[4], 1U);
    assert_int_equal(seen[5], 1U);
    assert_int_equal(k, 4U); /* windows 64 (127, 64), 0 (63), 1000 -> 960, 128 */
}

/* verifies: SBI-HART-1 */
static void test_stray_bits_end_the_walk(void **state)
{
    const uint32_t harts[] = {5U};
    uint64_t pending = 1UL << 7; /* a bit past the cell's harts */
    uint64_t base = 99U;
    (void)state;
    assert_int_equal(bh_hart_set_next_window(harts, 1U, &pending, &base), 0U);
    assert_int_equal(pending, 0U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_names_only_the_cells_harts),
        cmocka_unit_test(test_base_minus_one_is_the_whole_cell),
        cmocka_unit_test(test_mask_arithmetic_matches_the_definition),
        cmocka_unit_test(test_hart_ids_past_64_never_wrap),
        cmocka_unit_test(test_windows_cover_exactly_the_named_harts),
        cmocka_unit_test(test_stray_bits_end_the_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
