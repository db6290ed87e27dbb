/* SPDX-License-Identifier: Apache-2.0 */
/*
 * irqtest's interrupt controller in an interrupt-controller = "aia" cell
 * (docs/interrupts.md, "AIA cells"): the device's wired source in the cell's
 * APLIC domain in MSI mode, aimed at the hart's own IMSIC guest interrupt
 * file with the source number as its identity. Claiming is a CSR access to
 * that file, and a source whose line the handler lowers (virtio's
 * InterruptACK) needs no setipnum_le to end it: the next request raises the
 * line again, which pends the source anew (AIA spec 4.7). So an interrupt
 * reaches the guest and ends without the hypervisor.
 */
#include "csr.h"
#include "irqtest.h"

/* AIA spec v1.0: indirect file registers (3.8), stopei (3.9), APLIC registers (4.5). */
#define CSR_SISELECT	     0x150
#define CSR_SIREG	     0x151
#define CSR_STOPEI	     0x15c
#define ISEL_EIDELIVERY	     0x70UL
#define ISEL_EITHRESHOLD     0x72UL
#define ISEL_EIE0	     0xc0UL /* RV64: the even ones, 64 identities each */
#define APLIC_DOMAINCFG	     0x0000UL
#define APLIC_SOURCECFG	     0x0004UL
#define APLIC_SETIENUM	     0x1edcUL
#define APLIC_TARGET	     0x3004UL
#define DOMAINCFG_IE	     (1U << 8)
#define DOMAINCFG_DM_MSI     (1U << 2)
#define SOURCECFG_LEVEL_HIGH 6U
#define TARGET_HART_SHIFT    18

static void aplic_w(unsigned long aplic, unsigned long off, unsigned int v)
{
	*(volatile unsigned int *)(aplic + off) = v;
}

static unsigned long src_reg(unsigned long base, unsigned int s)
{
	return base + ((unsigned long)s - 1UL) * 4UL;
}

void aia_enable_source(unsigned long aplic, unsigned int src, unsigned long vhart)
{
	unsigned long eie;

	csr_write(CSR_SISELECT, ISEL_EIDELIVERY);
	csr_write(CSR_SIREG, 1UL);
	csr_write(CSR_SISELECT, ISEL_EITHRESHOLD);
	csr_write(CSR_SIREG, 0UL);
	csr_write(CSR_SISELECT, ISEL_EIE0 + 2UL * (src / 64U));
	eie = csr_read(CSR_SIREG);
	csr_write(CSR_SIREG, eie | (1UL << (src % 64U)));
	aplic_w(aplic, APLIC_DOMAINCFG, DOMAINCFG_IE | DOMAINCFG_DM_MSI);
	aplic_w(aplic, src_reg(APLIC_SOURCECFG, src), SOURCECFG_LEVEL_HIGH);
	aplic_w(aplic, src_reg(APLIC_TARGET, src),
		(unsigned int)(vhart << TARGET_HART_SHIFT) | src);
	aplic_w(aplic, APLIC_SETIENUM, src);
}

unsigned int aia_claim(void)
{
	unsigned long v;

	/* one CSR access reads the top identity and claims it (clears its pending bit) */
	__asm__ volatile("csrrw %0, 0x15c, zero" : "=r"(v)::"memory");
	return (unsigned int)(v >> 16);
}

unsigned long aia_top(void)
{
	return csr_read(CSR_STOPEI); /* a read alone claims nothing */
}
