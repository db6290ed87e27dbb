/* SPDX-License-Identifier: Apache-2.0 */
/* Cells at run time: their state, and the translation of their guest-physical
 * addresses and virtual harts. Loading, booting, stopping: cell_lifecycle.h. */
#ifndef BULKHEAD_CELL_H
#define BULKHEAD_CELL_H

#include <stdint.h>
#include "bulkhead/cell_config.h"
#include "bulkhead/lib.h"
#include "bulkhead/vplic.h"
#include "bulkhead/vuart.h"

#define BH_CELL_RUNNING  0U
#define BH_CELL_STOPPING 1U
#define BH_CELL_STOPPED  2U
#define BH_CELL_FAILED   3U /* its first hart never reached the hypervisor: it never runs */

/* Restart times remembered per cell: enough for the largest CONFIG_RESTART_LIMIT. */
#define BH_RESTART_HISTORY 64U

/*
 * Run-time state of a cell, shared by its harts (and, for vplic and vuart,
 * by the hart that takes a device or console interrupt for it).
 * The cell lock comes first in the lock order (lib.h): under it a hart may
 * take the cell's console locks (cell -> console -> UART) and the PLIC
 * enable lock, and no lock is taken before it.
 */
struct bh_cell_state {
    struct bh_lock
        lock; /* the cell lock: guards vplic, vuart, the cell's latched doorbell rings (doorbell.c), state, epoch and the report fields */
    struct vplic vplic;
    struct vuart vuart;
    volatile uint32_t state; /* BH_CELL_*: written under the lock */
    /* Bumped under the lock by every stop or restart; read without it by a
     * hart that took a BH_MSG_STOP, which was posted after the bump. */
    volatile uint32_t epoch;
    uint32_t restarts;
    /* Written by the hart that stops or restarts the cell, while its other harts are parked. */
    uint64_t restart_at[BH_RESTART_HISTORY]; /* a ring of the last restarts' times */
    uint32_t restart_next;
    /* Fault reports, rate-limited (fault.c). */
    uint64_t report_at; /* time of the last full report, 0 if none yet */
    uint32_t reports_suppressed;
    uint32_t quiet; /* this stop's report was suppressed: so are its own lines */
};

extern struct bh_cell_state bh_cell_state[BH_NUM_CELLS];

/* The cell's emulated devices as at reset and the cell running: under its lock, or before other harts run. */
void bh_cell_init(uint32_t cell);
/* Translates a guest-physical range inside one RAM region with the given access. */
uint8_t *bh_cell_guest_ptr(uint32_t cell, uint64_t gpa, uint64_t len, uint32_t access);
/* "running", "stopping", "stopped" or "failed": for the console's help. */
const char *bh_cell_state_name(uint32_t cell);
/* Physical hart of a virtual hart, or BH_NO_CELL if there is no such virtual hart. */
uint32_t bh_cell_phys_hart(uint32_t cell, uint64_t vhart);

#endif
