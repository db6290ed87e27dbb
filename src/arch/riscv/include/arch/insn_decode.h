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

/* The two forms inline, for the device-access fast path (trap_fast.c). */
#define RISCV_OPCODE_LOAD  0x03U
#define RISCV_OPCODE_STORE 0x23U

/* A 32-bit instruction (unprivileged spec ch. 2.6, "Load and Store Instructions"). */
static inline int riscv_decode_32(uint32_t insn, struct mmio_insn *out)
{
    uint32_t opcode = insn & 0x7fU;
    uint32_t funct3 = (insn >> 12) & 7U;

    if ((opcode == RISCV_OPCODE_LOAD) && (funct3 != 7U)) {
        out->is_store = 0U;
        out->width = 1U << (funct3 & 3U);
        out->sign_extend = 0U;
        if ((funct3 & 4U) == 0U) {
            out->sign_extend = 1U; /* lb, lh, lw (ld has nothing to extend) */
        }
        out->reg = (insn >> 7) & 0x1fU;
        return 0;
    }
    if ((opcode == RISCV_OPCODE_STORE) && (funct3 <= 3U)) {
        out->is_store = 1U;
        out->width = 1U << funct3;
        out->sign_extend = 0U;
        out->reg = (insn >> 20) & 0x1fU;
        return 0;
    }
    return -1;
}

/* A transformed instruction always has the 32-bit load/store layout; its bit 1
 * says how long the original was (priv spec 18.6.3). */
static inline int riscv_decode_htinst(uint32_t insn, struct mmio_insn *out)
{
    out->length = 2U;
    if ((insn & 2U) != 0U) {
        out->length = 4U;
    }
    return riscv_decode_32(insn | 3U, out);
}

/*
 * The device-access fast path's decode (trap_fast.c): the scause already
 * says load or store, so only funct3 of the transformed instruction is
 * needed, with the check that it is one (bit 0 set, priv spec 18.6.3) of
 * the expected kind. RISCV_NOT_FAST for anything else (the general path
 * then decodes it with riscv_decode_mmio, and refuses what that refuses).
 */
#define RISCV_NOT_FAST 8U
static inline uint32_t riscv_htinst_load_funct3(uint32_t insn)
{
    uint32_t funct3 = (insn >> 12) & 7U;
    /* lb lh lw ld lbu lhu lwu; 7 is no load */
    return ((((insn | 2U) & 0x7fU) == RISCV_OPCODE_LOAD) && (funct3 != 7U)) ? funct3 : RISCV_NOT_FAST;
}
static inline uint32_t riscv_htinst_store_funct3(uint32_t insn)
{
    uint32_t funct3 = (insn >> 12) & 7U;
    /* sb sh sw sd */
    return ((((insn | 2U) & 0x7fU) == RISCV_OPCODE_STORE) && (funct3 <= 3U)) ? funct3 : RISCV_NOT_FAST;
}
/* The instruction's length: bit 1 of the transformed instruction clear means
 * the original was compressed (priv spec 18.6.3). */
static inline uint64_t riscv_htinst_length(uint32_t insn)
{
    uint32_t length = 2U + (insn & 2U); /* 2 or 4, without a branch */
    return (uint64_t)length;
}
/* What a load of funct3 leaves in its register, as riscv_mmio_load_value. */
static inline uint64_t riscv_load_funct3_value(uint32_t funct3, uint64_t raw)
{
    uint64_t value;

    /* lw first, the 32-bit registers' load: one sext.w (the conversion to
     * int32_t wraps, GCC manual "Integers implementation"), no jump table. */
    if (funct3 == 2U) {
        return (uint64_t)(int64_t)(int32_t)(uint32_t)raw;
    }
    /* Sign extension without a signed shift: flip the sign bit, subtract it. */
    switch (funct3) {
    case 0U: /* lb */ value = ((raw & 0xffUL) ^ 0x80UL) - 0x80UL; break;
    case 1U: /* lh */ value = ((raw & 0xffffUL) ^ 0x8000UL) - 0x8000UL; break;
    case 4U: /* lbu */ value = raw & 0xffUL; break;
    case 5U: /* lhu */ value = raw & 0xffffUL; break;
    case 6U: /* lwu */ value = raw & 0xffffffffUL; break;
    default: /* ld */ value = raw; break;
    }
    return value;
}

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
