/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/insn_decode.h"

static uint32_t field(uint32_t insn, uint32_t lo, uint32_t len)
{
    return (insn >> lo) & ((1U << len) - 1U);
}

/* RVC (unprivileged spec ch. 16): c.lw/c.ld/c.sw/c.sd use x8-x15, the sp forms any register. */
static int decode_16(uint32_t insn, struct mmio_insn *out)
{
    uint32_t op = field(insn, 0, 2);
    uint32_t funct3 = field(insn, 13, 3);
    uint32_t creg_low = field(insn, 2, 3) + 8U;

    out->sign_extend = 1;
    if (op == 0U) {
        switch (funct3) {
        case 2U:
            out->is_store = 0;
            out->width = 4;
            break;
        case 3U:
            out->is_store = 0;
            out->width = 8;
            break;
        case 6U:
            out->is_store = 1;
            out->width = 4;
            break;
        case 7U:
            out->is_store = 1;
            out->width = 8;
            break;
        default: return -1;
        }
        out->reg = creg_low;
        return 0;
    }
    if (op == 2U) {
        switch (funct3) {
        case 2U:
            out->is_store = 0;
            out->width = 4;
            out->reg = field(insn, 7, 5);
            break;
        case 3U:
            out->is_store = 0;
            out->width = 8;
            out->reg = field(insn, 7, 5);
            break;
        case 6U:
            out->is_store = 1;
            out->width = 4;
            out->reg = field(insn, 2, 5);
            break;
        case 7U:
            out->is_store = 1;
            out->width = 8;
            out->reg = field(insn, 2, 5);
            break;
        default: return -1;
        }
        return 0;
    }
    return -1;
}

int riscv_decode_mmio(uint32_t insn, int from_htinst, struct mmio_insn *out)
{
    if (from_htinst != 0) {
        return riscv_decode_htinst(insn, out);
    }
    if ((insn & 3U) == 3U) {
        out->length = 4;
        return riscv_decode_32(insn, out);
    }
    out->length = 2;
    return decode_16(insn & 0xffffU, out);
}
