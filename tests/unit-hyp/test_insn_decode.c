/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit tests of the trapped load/store decoder (src/arch/riscv/insn_decode.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/insn_decode.h"

/* verifies: ISO-DEV-3 */
static void test_lw_sw_ld_sd(void **state)
{
    struct mmio_insn m;
    (void)state;
    /* lw a5, 4(a0) = 0x00452783 */
    assert_int_equal(riscv_decode_mmio(0x00452783U, 0, &m), 0);
    assert_int_equal(m.is_store, 0);
    assert_int_equal(m.width, 4);
    assert_int_equal(m.sign_extend, 1);
    assert_int_equal(m.reg, 15);
    assert_int_equal(m.length, 4);
    /* sw a1, 0(a0) = 0x00b52023 */
    assert_int_equal(riscv_decode_mmio(0x00b52023U, 0, &m), 0);
    assert_int_equal(m.is_store, 1);
    assert_int_equal(m.width, 4);
    assert_int_equal(m.reg, 11);
    /* lbu a0, 5(a1) = 0x0055c503 */
    assert_int_equal(riscv_decode_mmio(0x0055c503U, 0, &m), 0);
    assert_int_equal(m.width, 1);
    assert_int_equal(m.sign_extend, 0);
    assert_int_equal(m.reg, 10);
    /* sd t0, 8(sp) = 0x00513423 */
    assert_int_equal(riscv_decode_mmio(0x00513423U, 0, &m), 0);
    assert_int_equal(m.width, 8);
    assert_int_equal(m.reg, 5);
}

/* verifies: ISO-DEV-3 */
static void test_compressed(void **state)
{
    struct mmio_insn m;
    (void)state;
    /* c.lw a5, 0(a0) = 0x411c */
    assert_int_equal(riscv_decode_mmio(0x411cU, 0, &m), 0);
    assert_int_equal(m.is_store, 0);
    assert_int_equal(m.width, 4);
    assert_int_equal(m.reg, 15);
    assert_int_equal(m.length, 2);
    /* c.sw a1, 0(a0) = 0xc10c */
    assert_int_equal(riscv_decode_mmio(0xc10cU, 0, &m), 0);
    assert_int_equal(m.is_store, 1);
    assert_int_equal(m.reg, 11);
    /* c.sdsp ra, 8(sp) = 0xe406 */
    assert_int_equal(riscv_decode_mmio(0xe406U, 0, &m), 0);
    assert_int_equal(m.is_store, 1);
    assert_int_equal(m.width, 8);
    assert_int_equal(m.reg, 1);
}

/* verifies: ISO-DEV-3 */
static void test_transformed_htinst(void **state)
{
    struct mmio_insn m;
    (void)state;
    /* a transformed c.lw: bit 1 clear marks the 16-bit original (priv spec 18.6.3) */
    assert_int_equal(riscv_decode_mmio(0x00002781U, 1, &m), 0);
    assert_int_equal(m.length, 2);
    assert_int_equal(m.width, 4);
    assert_int_equal(m.reg, 15);
    assert_int_equal(riscv_decode_mmio(0x00b02023U, 1, &m), 0);
    assert_int_equal(m.length, 4);
    assert_int_equal(m.is_store, 1);
}

/* verifies: ISO-DEV-3 */
static void test_load_value_extension(void **state)
{
    struct mmio_insn lb = {.width = 1U, .sign_extend = 1U};
    struct mmio_insn lbu = {.width = 1U, .sign_extend = 0U};
    struct mmio_insn lh = {.width = 2U, .sign_extend = 1U};
    struct mmio_insn lw = {.width = 4U, .sign_extend = 1U};
    struct mmio_insn lwu = {.width = 4U, .sign_extend = 0U};
    struct mmio_insn ld = {.width = 8U, .sign_extend = 0U};
    (void)state;

    assert_int_equal(riscv_mmio_load_value(&lb, 0x80U), 0xffffffffffffff80UL);
    assert_int_equal(riscv_mmio_load_value(&lb, 0x17fU), 0x7fU); /* bits past the width are dropped */
    assert_int_equal(riscv_mmio_load_value(&lbu, 0xff80U), 0x80U);
    assert_int_equal(riscv_mmio_load_value(&lh, 0x8001U), 0xffffffffffff8001UL);
    assert_int_equal(riscv_mmio_load_value(&lw, 0x80000000U), 0xffffffff80000000UL);
    assert_int_equal(riscv_mmio_load_value(&lw, 0x7fffffffU), 0x7fffffffU);
    assert_int_equal(riscv_mmio_load_value(&lwu, 0xffffffff80000000UL), 0x80000000U);
    assert_int_equal(riscv_mmio_load_value(&ld, 0x8000000000000001UL), 0x8000000000000001UL);
}

/* verifies: ISO-DEV-3 */
static void test_not_load_store(void **state)
{
    struct mmio_insn m;
    (void)state;
    /* addi a0, a0, 1 */
    assert_int_equal(riscv_decode_mmio(0x00150513U, 0, &m), -1);
    /* amoswap.w */
    assert_int_equal(riscv_decode_mmio(0x08b5252fU, 0, &m), -1);
    /* c.addi */
    assert_int_equal(riscv_decode_mmio(0x0505U, 0, &m), -1);
    /* ld with funct3 = 7 is reserved */
    assert_int_equal(riscv_decode_mmio(0x00057503U | (7U << 12), 0, &m), -1);
}

/* The fast path's decode (trap_fast.c) agrees with the general one on every
 * funct3, register and length, and refuses what that refuses. */
/* verifies: ISO-DEV-3 */
static void test_fast_decode_matches(void **state)
{
    (void)state;
    static const uint32_t opcodes[] = {0x03U, 0x23U, 0x13U, 0x07U, 0x27U};
    for (uint32_t o = 0U; o < (sizeof(opcodes) / sizeof(opcodes[0])); o++) {
        for (uint32_t f3 = 0U; f3 < 8U; f3++) {
            for (uint32_t reg = 0U; reg < 32U; reg += 5U) {
                for (uint32_t len2 = 0U; len2 < 2U; len2++) {
                    /* a transformed instruction: rs1 and offset zero, bit 1 = original length */
                    uint32_t insn = opcodes[o] | (f3 << 12) | (reg << 7) | (reg << 20);
                    if (len2 != 0U) {
                        insn &= ~2U;
                    }
                    struct mmio_insn m;
                    int ok = riscv_decode_htinst(insn, &m);
                    uint32_t lf = riscv_htinst_load_funct3(insn);
                    uint32_t sf = riscv_htinst_store_funct3(insn);
                    assert_int_equal(lf != RISCV_NOT_FAST, (ok == 0) && (m.is_store == 0U));
                    assert_int_equal(sf != RISCV_NOT_FAST, (ok == 0) && (m.is_store == 1U));
                    if (ok == 0) {
                        assert_int_equal(riscv_htinst_length(insn), m.length);
                        assert_int_equal(1U << ((m.is_store != 0U) ? sf : (lf & 3U)), m.width);
                    }
                    if (lf != RISCV_NOT_FAST) {
                        const uint64_t raws[] = {0UL,      0x7fUL,       0x80UL,       0xffffUL,
                                                 0x8000UL, 0x7fffffffUL, 0x80000000UL, 0xfedcba9876543210UL,
                                                 ~0UL};
                        for (uint32_t r = 0U; r < (sizeof(raws) / sizeof(raws[0])); r++) {
                            assert_int_equal(riscv_load_funct3_value(lf, raws[r]), riscv_mmio_load_value(&m, raws[r]));
                        }
                    }
                }
            }
        }
    }
    /* bit 0 clear: no transformed instruction (htinst 0 or a pseudo-instruction) */
    assert_int_equal(riscv_htinst_load_funct3(0x00002002U), RISCV_NOT_FAST);
    assert_int_equal(riscv_htinst_store_funct3(0x00002022U), RISCV_NOT_FAST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lw_sw_ld_sd),        cmocka_unit_test(test_compressed),
        cmocka_unit_test(test_transformed_htinst), cmocka_unit_test(test_load_value_extension),
        cmocka_unit_test(test_not_load_store),     cmocka_unit_test(test_fast_decode_matches),
    };
    return cmocka_run_group_tests_name("insn_decode", tests, NULL, NULL);
}
