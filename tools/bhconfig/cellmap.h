/*
 * What each cell's G-stage address space contains: its RAM regions with
 * their rights and its passed-through devices identity-mapped read-write
 * (whole 4 KiB pages). The virtual PLIC and the emulated UART are left
 * unmapped on purpose: accesses to them must trap to the hypervisor.
 */
#ifndef BHC_CELLMAP_H
#define BHC_CELLMAP_H

#include "gstage.h"
#include "model.h"

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
