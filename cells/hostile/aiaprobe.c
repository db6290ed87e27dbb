/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aiaprobe: an interrupt-controller = "aia" cell (docs/interrupts.md, "AIA
 * cells") that uses its own interrupt file and APLIC source, then tries the
 * sources of others and a page past its own interrupt file.
 *
 * Output:  aiaprobe: own file: topei <id>            its guest file, through its CSRs and its page
 *          aiaprobe: own source 7: sourcecfg <v> target <v> setie <v>
 *          aiaprobe: foreign source <s>: sourcecfg <v> target <v> setie <v> pending <v>
 *          aiaprobe: past own harts: target <v>
 *          aiaprobe: refused writes <n>              what the hypervisor must have counted
 *          aiaprobe: store to <addr>                 the last act: a fault stops the cell
 */
#include "csr.h"
#include "hostile.h"

/* The platform's supervisor IMSIC and APLIC, where the cell's DTB puts them (bhconfig). */
#define IMSIC_BASE 0x28000000UL
#define APLIC_BASE 0x0d000000UL

/* AIA spec v1.0: indirect file registers (3.8), APLIC registers (4.5). */
#define CSR_SISELECT	  0x150
#define CSR_SIREG	  0x151
#define CSR_STOPEI	  0x15c
#define ISEL_EIDELIVERY	  0x70UL
#define ISEL_EITHRESHOLD  0x72UL
#define ISEL_EIE0	  0xc0UL
#define APLIC_SOURCECFG	  0x0004UL
#define APLIC_SETIP	  0x1c00UL
#define APLIC_SETIE	  0x1e00UL
#define APLIC_SETIENUM	  0x1edcUL
#define APLIC_SETIPNUM_LE 0x2000UL
#define APLIC_TARGET	  0x3004UL

#define OWN_SOURCE 7U  /* virtio_mmio@10007000, the cell's device */
#define EIID	   9UL /* identity its MSIs would carry */
#define PROBE_EIID 5UL
#define RETRIGGERS 1000U /* setipnum_le writes per foreign source: the victim's interrupt, forged */

static void aplic_w(unsigned long off, unsigned int v)
{
	*(volatile unsigned int *)(APLIC_BASE + off) = v;
}

static unsigned int aplic_r(unsigned long off)
{
	return *(volatile unsigned int *)(APLIC_BASE + off);
}

static unsigned long src_reg(unsigned long base, unsigned int s)
{
	return base + ((unsigned long)s - 1UL) * 4UL;
}

/* Identity PROBE_EIID sent to its own file through the mapped page, read back through its CSRs. */
static void own_file(void)
{
	unsigned long topei;

	csr_write(CSR_SISELECT, ISEL_EIDELIVERY);
	csr_write(CSR_SIREG, 1UL);
	csr_write(CSR_SISELECT, ISEL_EITHRESHOLD);
	csr_write(CSR_SIREG, 0UL);
	csr_write(CSR_SISELECT, ISEL_EIE0);
	csr_write(CSR_SIREG, 1UL << PROBE_EIID);
	*(volatile unsigned int *)IMSIC_BASE = (unsigned int)PROBE_EIID; /* seteipnum_le (3.9) */
	topei = csr_read(CSR_STOPEI);
	csr_write(CSR_STOPEI, 0UL); /* claims it */
	say("aiaprobe: own file: topei %u", topei >> 16);
}

static void own_source(void)
{
	aplic_w(src_reg(APLIC_SOURCECFG, OWN_SOURCE), 6U); /* level-high */
	aplic_w(src_reg(APLIC_TARGET, OWN_SOURCE), (unsigned int)EIID);
	aplic_w(APLIC_SETIENUM, OWN_SOURCE);
	say("aiaprobe: own source %u: sourcecfg %u target %x setie %x", (unsigned long)OWN_SOURCE,
	    (unsigned long)aplic_r(src_reg(APLIC_SOURCECFG, OWN_SOURCE)),
	    (unsigned long)aplic_r(src_reg(APLIC_TARGET, OWN_SOURCE)),
	    (unsigned long)aplic_r(APLIC_SETIE));
}

/* Returns the number of writes that try to activate, enable or pend source s. */
static unsigned long foreign_source(unsigned int s)
{
	unsigned long tries = 0;

	aplic_w(src_reg(APLIC_SOURCECFG, s), 6U);
	tries++;
	aplic_w(src_reg(APLIC_TARGET, s), (unsigned int)EIID); /* inactive here: not a refusal */
	aplic_w(APLIC_SETIENUM, s);
	tries++;
	aplic_w(APLIC_SETIE + (s / 32U) * 4U, 1U << (s % 32U));
	tries++;
	aplic_w(APLIC_SETIP + (s / 32U) * 4U, 1U << (s % 32U));
	tries++;
	for (unsigned int i = 0; i < RETRIGGERS; i++) {
		aplic_w(APLIC_SETIPNUM_LE, s);
		tries++;
	}
	say("aiaprobe: foreign source %u: sourcecfg %u target %x setie %x pending %x",
	    (unsigned long)s, (unsigned long)aplic_r(src_reg(APLIC_SOURCECFG, s)),
	    (unsigned long)aplic_r(src_reg(APLIC_TARGET, s)),
	    (unsigned long)(aplic_r(APLIC_SETIE + (s / 32U) * 4U) & (1U << (s % 32U))),
	    (unsigned long)(aplic_r(APLIC_SETIP + (s / 32U) * 4U) & (1U << (s % 32U))));
	return tries;
}

void aiaprobe_run(void)
{
	unsigned long refused = 0;

	own_file();
	own_source();
	refused += foreign_source(8);  /* the victim's virtio-rng */
	refused += foreign_source(10); /* the hypervisor's console UART */
	/* its own source aimed at a virtual hart it does not have */
	aplic_w(src_reg(APLIC_TARGET, OWN_SOURCE), (1U << 18) | (unsigned int)EIID);
	refused++;
	say("aiaprobe: past own harts: target %x",
	    (unsigned long)aplic_r(src_reg(APLIC_TARGET, OWN_SOURCE)));
	say("aiaprobe: refused writes %u", refused);
	/* one page past its only interrupt file: another hart's files, never mapped */
	say("aiaprobe: store to %x", IMSIC_BASE + 0x1000UL);
	*(volatile unsigned int *)(IMSIC_BASE + 0x1000UL) = (unsigned int)PROBE_EIID;
	say("aiaprobe: store completed");
}
