/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What each cell's G-stage address space contains: its RAM regions with
 * their rights and its passed-through devices identity-mapped read-write
 * (whole 4 KiB pages), and the shared-memory channels it is a member of with
 * exactly their declared rights ("rw" or "r", never x). The virtual PLIC, the
 * emulated UART and the doorbell page are left unmapped on purpose: accesses
 * to them must trap to the hypervisor.
 *
 * Exception, for interrupt latency: a cell whose interrupts all come from
 * passed-through devices (it owns sources and has no emulated UART) gets
 * each virtual hart's PLIC context page (threshold, claim/complete) mapped
 * read-only onto its physical hart's S-mode context. The guest then claims
 * in hardware without an exit; only its complete write traps, so a device
 * interrupt costs two exits (docs/interrupts.md).
 *
 * A cell with interrupt-controller = "aia" gets each virtual hart's IMSIC
 * page mapped read-write onto the guest interrupt file of its physical hart
 * that bhconfig assigned it; its APLIC domain is emulated and traps.
 */
#ifndef BHC_CELLMAP_H
#define BHC_CELLMAP_H

#include "gstage.h"
#include "model.h"

/* PLIC layout (PLIC spec v1.0.0 ch. 3): one 4 KiB page of registers per context. */
#define PLIC_CONTEXT_BASE   0x200000ULL
#define PLIC_CONTEXT_STRIDE 0x1000ULL

/* Direct mode needs a PLIC to map; on an AIA platform such a cell stays in trap mode. */
static inline bool cellmap_direct_irq(const struct platform *p, const struct cell *c)
{
    return (p->irqchip == IRQCHIP_PLIC) && (c->num_irqs > 0U) && (c->console == CONSOLE_SBI) &&
           (c->irqchip == CELL_IRQ_PLIC);
}

/* A cell with interrupt-controller = "aia": its interrupts reach its IMSIC guest
 * interrupt files without the hypervisor (docs/interrupts.md, "AIA"). */
static inline bool cellmap_aia(const struct cell *c)
{
    return c->irqchip == CELL_IRQ_AIA;
}

/* Its virtual harts take no interrupt through the hypervisor's vPLIC. */
static inline bool cellmap_hw_irq(const struct platform *p, const struct cell *c)
{
    return cellmap_direct_irq(p, c) || cellmap_aia(c);
}

/* "aia": the APLIC domain its guest sees, at the platform's supervisor domain address. */
#define CELLMAP_VAPLIC_SIZE ((uint64_t)BH_VAPLIC_SIZE)

/* "aia": where virtual hart v's interrupt file is in the guest, and the guest
 * interrupt file of its physical hart that page is mapped onto. */
uint64_t cellmap_imsic_guest(const struct platform *p, unsigned vhart);
uint64_t cellmap_imsic_host(const struct platform *p, const struct cell *c, unsigned vhart);

/* Device MMIO rounded out to whole pages: what the cell can reach. */
struct range cellmap_dev_pages(const struct range *reg);

/*
 * Build every cell's tables at base_pa (BH_GSTAGE_BASE), set cell root_pa and
 * hgatp (VMID = cell index + 1), fill stats[cell] if not NULL. Skips regions
 * and devices already reported invalid; returns false if some mapping still
 * conflicted (then a validation error has been reported elsewhere).
 */
bool cellmap_build(struct sys *s, const struct platform *p, uint64_t base_pa, struct gs_tables *t,
                   struct gs_stats *stats);

#endif
