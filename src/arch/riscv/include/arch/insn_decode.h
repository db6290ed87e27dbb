/* SPDX-License-Identifier: Apache-2.0 */
/* Decoding a trapped load or store: pure, unit-tested on the host. */
#ifndef ARCH_INSN_DECODE_H
#define ARCH_INSN_DECODE_H

#include <stdint.h>

struct mmio_insn {
    uint32_t is_store;
    uint32_t width;       /* bytes: 1, 2, 4 or 8 */
    uint32_t sign_extend; /* loads only */
    uint32_t reg;         /* rd for a load, rs2 for a store */
    uint32_t length;      /* instruction length in bytes, 2 or 4 */
};

/*
 * insn is either the original instruction (16 or 32 bits) or the transformed
 * instruction the hart wrote to htinst (priv spec 18.6.3: bit 1 clear means
 * the original was compressed). Returns 0 on success, -1 if it is not a
 * plain integer load or store.
 */
int riscv_decode_mmio(uint32_t insn, int from_htinst, struct mmio_insn *out);

/* What a decoded load leaves in its register when the device returned raw:
 * sign-extended (lb, lh, lw) or zero-extended (lbu, lhu, lwu) from its width. */
static inline uint64_t riscv_mmio_load_value(const struct mmio_insn *mi, uint64_t raw)
{
    /* The decoder gives 1, 2, 4 or 8; anything else leaves raw as it is. */
    if ((mi->width == 0U) || (mi->width >= 8U)) {
        return raw;
    }
    uint64_t sign = 1UL << ((mi->width * 8U) - 1U);
    uint64_t value = raw & ((sign << 1) - 1UL);
    /* Sign extension without a signed shift: flip the sign bit, subtract it. */
    return (mi->sign_extend != 0U) ? ((value ^ sign) - sign) : value;
}

#endif
