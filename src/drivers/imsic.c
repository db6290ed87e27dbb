/* SPDX-License-Identifier: Apache-2.0 */
/* The hart's IMSIC supervisor file (RISC-V AIA spec v1.0, 2.3 and 3.8-3.9). */
#include "bulkhead/imsic.h"
#include "arch/csr.h"

/* Ssaia CSRs by number: binutils may not know their names. */
#define CSR_SISELECT  0x150
#define CSR_SIREG     0x151
#define CSR_STOPEI    0x15c
#define CSR_VSISELECT 0x250
#define CSR_VSIREG    0x251

/* Indirectly accessed interrupt-file registers (3.8). */
#define IMSIC_EIDELIVERY  0x70UL
#define IMSIC_EITHRESHOLD 0x72UL
#define IMSIC_EIP0        0x80UL
#define IMSIC_EIE0        0xc0UL /* on RV64 only the even eipN/eieN exist, 64 identities each */

#define TOPEI_ID_SHIFT 16U
#define TOPEI_ID_MASK  0x7ffU

static void write_indirect(unsigned long which, unsigned long value)
{
    csr_write(CSR_SISELECT, which);
    csr_write(CSR_SIREG, value);
}

void imsic_init_local(uint32_t last)
{
    write_indirect(IMSIC_EIDELIVERY, 1UL);
    write_indirect(IMSIC_EITHRESHOLD, 0UL); /* 0: every enabled identity interrupts */
    for (uint32_t first = 0U; first <= last; first += 64U) {
        uint32_t top = (last - first >= 63U) ? 63U : (last - first);
        unsigned long bits = (top == 63U) ? ~0UL : ((1UL << (top + 1U)) - 1UL);
        /* eie0 covers identities 0..63 (identity 0 does not exist), eie2 64..127, ... */
        write_indirect(IMSIC_EIE0 + ((first / 64U) * 2U), (first == 0U) ? (bits & ~1UL) : bits);
    }
}

static void write_guest_indirect(unsigned long which, unsigned long value)
{
    csr_write(CSR_VSISELECT, which);
    csr_write(CSR_VSIREG, value);
}

void imsic_guest_file_clear(uint32_t last)
{
    write_guest_indirect(IMSIC_EIDELIVERY, 0UL);
    write_guest_indirect(IMSIC_EITHRESHOLD, 0UL);
    for (uint32_t first = 0U; first <= last; first += 64U) {
        unsigned long pair = ((unsigned long)first / 64UL) * 2UL; /* on RV64 only the even registers exist */
        write_guest_indirect(IMSIC_EIE0 + pair, 0UL);
        write_guest_indirect(IMSIC_EIP0 + pair, 0UL);
    }
}

uint32_t imsic_claim(void)
{
    /* A write of stopei claims the identity it reads (2.5): one csrrw does both. */
    unsigned long topei = csr_swap(CSR_STOPEI, 0UL);

    return (uint32_t)((topei >> TOPEI_ID_SHIFT) & TOPEI_ID_MASK);
}
