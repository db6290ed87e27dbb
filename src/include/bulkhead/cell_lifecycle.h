/* SPDX-License-Identifier: Apache-2.0 */
/* Cells' lifecycle: loading, booting, stopping and restarting (state: cell.h). */
#ifndef BULKHEAD_CELL_LIFECYCLE_H
#define BULKHEAD_CELL_LIFECYCLE_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* Copies the pristine image and DTB into the cell's RAM. */
void bh_cell_load(uint32_t cell);
/* Enters virtual hart 0 at the image entry with a0 = 0, a1 = DTB address. */
void bh_cell_boot(struct bh_hart *h) __attribute__((noreturn));
/* bh_cell_boot's step before the entry, apart for make prove's harness: the hart's vCPU reset to
 * the image entry, its HSM state STARTED, the entry reported. */
void bh_cell_ready_boot_hart(struct bh_hart *h);
/* Stops (restart == 0) or restarts the calling hart's cell; other cells never notice. The
 * hart parks (arch_park) and restarts the cell from its park loop after the back-off. */
void bh_cell_shutdown(struct bh_hart *h, uint32_t restart, const char *why) __attribute__((noreturn));
/* bh_cell_shutdown's steps once the cell's harts have parked, apart so that make prove's harness
 * replays them: the cell's PCI functions quiesced, its DMA faults and console run ended, the stop
 * reported (unless quiet); then, for a restart, its emulated devices and interrupt routing reset. */
void bh_cell_end_run(uint32_t cell, uint32_t restart, const char *why);
void bh_cell_reset(uint32_t cell);
/* A parked hart's part in a restart (hart_park.c, each round): once the back-off that
 * bh_cell_shutdown gave this hart is over, the cell is reset, reloaded and started again,
 * and the call does not return (the boot hart enters its guest, another hart parks
 * afresh). Before then, it returns with the hart's wakeup set for it. */
void bh_cell_restart_when_due(struct bh_hart *h);
/* Boot hart: the cell's first hart never arrived, so the cell never runs. */
void bh_cell_mark_failed(uint32_t cell);

#endif
