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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lw_sw_ld_sd),        cmocka_unit_test(test_compressed),
        cmocka_unit_test(test_transformed_htinst), cmocka_unit_test(test_load_value_extension),
        cmocka_unit_test(test_not_load_store),
    };
    return cmocka_run_group_tests_name("insn_decode", tests, NULL, NULL);
}
