/* SPDX-License-Identifier: Apache-2.0 */
/* The hart's IMSIC supervisor file (RISC-V AIA spec v1.0, 2.3 and 3.8-3.9). */
#include "bulkhead/imsic.h"
#include "arch/csr.h"
#include "config.h"

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
        uint32_t left = last - first; /* identities first + 1 .. last are still to enable */
        unsigned long bits = ~0UL;
        if (left < 63U) {
            unsigned long count = (unsigned long)left + 1UL;
            bits = (1UL << count) - 1UL;
        }
        /* eie0 covers identities 0..63 (identity 0 does not exist), eie2 64..127, ... */
        unsigned long eie = IMSIC_EIE0 + (((unsigned long)first / 64UL) * 2UL);
        write_indirect(eie, (first == 0U) ? (bits & ~1UL) : bits);
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

/* Each hart's interrupt files are 2^guest-index-bits pages from the base, its S file first (AIA spec 3.6;
 * bhconfig checks that the platform's i-th IMSIC entry is hart i, in one group). */
#define IMSIC_PAGE 0x1000UL

void imsic_send_guest(uint32_t hart, uint32_t file, uint32_t eiid)
{
    uint64_t page = (uint64_t)BH_IMSIC_BASE + ((((uint64_t)hart << BH_IMSIC_GUEST_BITS) + (uint64_t)file) * IMSIC_PAGE);
    volatile uint32_t *seteipnum_le = (volatile uint32_t *)(uintptr_t)page;

    *seteipnum_le = eiid;
}

uint32_t imsic_claim(void)
{
    /* A write of stopei claims the identity it reads (2.5): one csrrw does both. */
    unsigned long topei = csr_swap(CSR_STOPEI, 0UL);

    return (uint32_t)((topei >> TOPEI_ID_SHIFT) & TOPEI_ID_MASK);
}
