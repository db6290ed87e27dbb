/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `make prove`, step "wp": the property of bh_hart_set_from_sbi (src/core/hart_set.c)
 * that WP's provers cannot reach, proved by EVA instead (docs/safety/proof.md,
 * "Proved contracts"; proves: SBI-HART-1). The set is built with shifts by a
 * variable amount and masks, which CVC4 and Z3 do not link to powers of two
 * through WP's bit theory; EVA follows the bits exactly once the cell's hart
 * count and the base are single values. So each hart count 0..64 and each base
 * 0..64 is analyzed on its own ("split"), every other base as one range, and
 * the mask is any 64-bit value: together every input the function can get.
 *
 * The assertions are the contract: a set the guest names, on success, holds
 * no hart at or above the cell's hart count; the set is exactly mask bit i at
 * hart base + i (or every hart for base -1, none for an empty mask); a mask
 * with a bit naming a hart the cell does not have is refused and leaves the
 * set alone; a mask naming only the cell's harts is accepted.
 */
#include "__fc_builtin.h"
#include "bulkhead/hart_set.h"
#include "bulkhead/sbi_defs.h"

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aUL /* a set the function cannot write for these inputs */
#define ALL       0xffffffffffffffffUL

/* The masks whose bits all name a hart base + i below num_harts: [1, 2^(num_harts - base) - 1]. */
static uint64_t own_mask(uint32_t num_harts, uint64_t base)
{
    const uint64_t span = (uint64_t)num_harts - base;
    return Frama_C_unsigned_long_interval(1UL, (span >= 64U) ? ALL : ((1UL << span) - 1UL));
}

/* The masks with a bit naming a hart at or above num_harts: [2^(num_harts - base), 2^64 - 1]. */
static uint64_t foreign_mask(uint32_t num_harts, uint64_t base)
{
    const uint64_t span = (uint64_t)num_harts - base;
    return Frama_C_unsigned_long_interval(1UL << span, ALL);
}

void main(void)
{
    const uint32_t num_harts = Frama_C_unsigned_int_interval(0U, 64U);
    uint64_t base = Frama_C_unsigned_long_interval(0UL, 63UL);
    uint64_t vharts = UNTOUCHED;
    long r;

    /*@ split num_harts; */
    /*@ split base; */
    switch (Frama_C_interval(0, 4)) {
    case 0: /* base -1: every hart of the cell, whatever the mask */
        r = bh_hart_set_from_sbi(num_harts, Frama_C_unsigned_long_interval(0UL, ALL), ALL, &vharts);
        /*@ assert every_hart: r == SBI_SUCCESS && vharts == (num_harts == 64 ? ALL : (1 << num_harts) - 1); */
        break;
    case 1: /* an empty mask, at any base: no hart */
        r = bh_hart_set_from_sbi(num_harts, 0UL, Frama_C_unsigned_long_interval(0UL, ALL - 1UL), &vharts);
        /*@ assert no_hart: r == SBI_SUCCESS && vharts == 0; */
        break;
    case 2: /* a base at or past the cell's last hart, any non-empty mask: refused */
        r = bh_hart_set_from_sbi(num_harts, Frama_C_unsigned_long_interval(1UL, ALL),
                                 Frama_C_unsigned_long_interval(num_harts, ALL - 1UL), &vharts);
        /*@ assert foreign_base_refused: r == SBI_ERR_INVALID_PARAM && vharts == UNTOUCHED; */
        break;
    case 3: /* every bit names a hart of the cell: accepted, and the set holds only the cell's harts */
        if (base < num_harts) {
            r = bh_hart_set_from_sbi(num_harts, own_mask(num_harts, base), base, &vharts);
            /*@ assert own_harts_accepted: r == SBI_SUCCESS; */
            /*@ assert only_own_harts: num_harts == 64 || (vharts >> num_harts) == 0; */
            /*@ assert from_base_on: (vharts & ((1 << base) - 1)) == 0 && vharts != 0; */
        }
        break;
    default: /* a bit names a hart at or above num_harts: refused, the set left alone */
        if ((base < num_harts) && (num_harts - base < 64U)) {
            r = bh_hart_set_from_sbi(num_harts, foreign_mask(num_harts, base), base, &vharts);
            /*@ assert foreign_hart_refused: r == SBI_ERR_INVALID_PARAM && vharts == UNTOUCHED; */
        }
        break;
    }
}
