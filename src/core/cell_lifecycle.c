/* SPDX-License-Identifier: Apache-2.0 */
/* Cells' lifecycle: loading, booting, stopping and restarting. */
#include "bulkhead/cell_lifecycle.h"

#include <stddef.h>
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/console_out.h"
#include "bulkhead/dma_fault.h"
#include "bulkhead/doorbell.h"
#include "bulkhead/hart.h"
#include "bulkhead/irq.h"
#include "bulkhead/log.h"
#include "bulkhead/pci.h"
#include "bulkhead/stat_counts.h"
#include "bulkhead/stats_report.h"

/* How long a stopping cell waits for its other harts to park: 1 s. */
#define PARK_TIMEOUT_TICKS   ((uint64_t)BH_TIMEBASE_FREQ)
#define TICKS_PER_MS         ((uint64_t)BH_TIMEBASE_FREQ / 1000U)
#define RESTART_WINDOW_TICKS ((uint64_t)CONFIG_RESTART_WINDOW_S * (uint64_t)BH_TIMEBASE_FREQ)

_Static_assert(CONFIG_RESTART_LIMIT <= BH_RESTART_HISTORY, "restart history too short for CONFIG_RESTART_LIMIT");

void bh_cell_load(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    /* The config compiler proved both ranges lie inside the cell's RAM. */
    uint8_t *image = bh_cell_guest_ptr(cell, c->image_guest, c->image_size, BH_ACCESS_R);
    uint8_t *dtb = bh_cell_guest_ptr(cell, c->dtb_guest, c->dtb_size, BH_ACCESS_R);

    if ((image == NULL) || (dtb == NULL)) {
        bh_panic("cell %s: image or DTB outside its RAM despite validation", c->name);
    }
    (void)memcpy(image, c->image, c->image_size);
    (void)memcpy(dtb, c->dtb, c->dtb_size);
    /* No fence.i here: the hart that enters the image does it (arch_vcpu_reset). */
}

void bh_cell_ready_boot_hart(struct bh_hart *h)
{
    const struct bh_cell_config *c = bh_hart_cell(h);

    bh_hart_start_guest(h, c->entry, 0, c->dtb_guest);
    bh_info("cell %s: virtual hart 0 (hart %u) enters 0x%lx, DTB at 0x%lx", c->name, (unsigned)h->hartid, c->entry,
            c->dtb_guest);
}

void bh_cell_boot(struct bh_hart *h)
{
    bh_cell_ready_boot_hart(h);
    arch_vcpu_enter(h);
}

static void wait_for_other_harts(struct bh_hart *h, uint32_t epoch)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint64_t deadline = arch_time_now() + PARK_TIMEOUT_TICKS;

    for (uint32_t v = 0; v < c->num_harts; v++) {
        if (bh_hart_wait_stopped(c->harts[v], epoch, deadline) == 0U) {
            bh_error("cell %s: hart %u did not park in time", c->name, (unsigned)c->harts[v]);
        }
    }
}

static uint32_t restarts_in_window(const struct bh_cell_state *cs, uint64_t now)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < BH_RESTART_HISTORY; i++) {
        if ((cs->restart_at[i] != 0U) && ((now - cs->restart_at[i]) < RESTART_WINDOW_TICKS)) {
            n++;
        }
    }
    return n;
}

/* 0 for the first restart in the window, then CONFIG_RESTART_BACKOFF_MS doubled per earlier one. */
static uint64_t backoff_ms(uint32_t earlier)
{
    uint64_t ms = (uint64_t)CONFIG_RESTART_BACKOFF_MS;

    if (earlier == 0U) {
        return 0U;
    }
    for (uint32_t i = 1U; (i < earlier) && (ms < (uint64_t)CONFIG_RESTART_BACKOFF_MAX_MS); i++) {
        ms *= 2U;
    }
    return (ms < (uint64_t)CONFIG_RESTART_BACKOFF_MAX_MS) ? ms : (uint64_t)CONFIG_RESTART_BACKOFF_MAX_MS;
}

/* A limit of 0 means none. */
static uint32_t limit_reached(uint32_t count, uint32_t limit)
{
    return ((limit != 0U) && (count >= limit)) ? 1U : 0U;
}

/* Returns 0 if the restart storm limit stops the cell instead, else schedules the
 * restart on this hart for the end of its back-off (bh_cell_restart_when_due). */
static uint32_t schedule_restart(struct bh_hart *h, const struct bh_cell_state *cs)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint64_t now = arch_time_now();
    uint32_t earlier = restarts_in_window(cs, now);

    if (limit_reached(earlier, (uint32_t)CONFIG_RESTART_LIMIT) != 0U) {
        bh_error("cell %s: stopped for good: %u restarts within %u s (CONFIG_RESTART_LIMIT %u)", c->name,
                 (unsigned)earlier, (unsigned)CONFIG_RESTART_WINDOW_S, (unsigned)CONFIG_RESTART_LIMIT);
        return 0U;
    }
    uint64_t ms = backoff_ms(earlier);
    if ((ms != 0U) && (cs->quiet == 0U)) {
        bh_info("cell %s: restart %u within %u s, backing off %lu ms", c->name, (unsigned)earlier + 1U,
                (unsigned)CONFIG_RESTART_WINDOW_S, ms);
    }
    h->restart_due = now + (ms * TICKS_PER_MS);
    return 1U;
}

/* The restart itself, on the hart that stopped the cell, parked since. */
static void restart_cell(struct bh_hart *h)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    struct bh_cell_state *cs = h->cell_state;

    cs->restart_at[cs->restart_next % BH_RESTART_HISTORY] = arch_time_now();
    cs->restart_next++;
    cs->quiet = 0U;
    bh_stat_inc(&h->stats, BH_STAT_RESTART);
    cs->restarts++;
    bh_cell_reset(h->cell);
    bh_cell_load(h->cell);
    uint32_t boot = c->harts[0];
    if (boot == h->hartid) {
        bh_cell_boot(h);
    }
    /* Every other hart of the cell acknowledged the stop (or was reported by bh_cell_shutdown). */
    if (bh_hart_request_start(boot, c->entry, c->dtb_guest) == 0U) {
        bh_error("cell %s: hart %u is not stopped, the cell cannot start again", c->name, (unsigned)boot);
    }
}

void bh_cell_restart_when_due(struct bh_hart *h)
{
    uint64_t due = h->restart_due;

    if (due == BH_NO_RESTART) {
        return;
    }
    if (arch_time_now() < due) {
        arch_set_wakeup(due); /* rearmed each round: the console may have used the timer meanwhile */
        return;
    }
    h->restart_due = BH_NO_RESTART;
    restart_cell(h);
    /* Not the boot hart: parked again, afresh (the loop drops whatever the reset raised for its guest). */
    arch_park(h);
}

void bh_cell_mark_failed(uint32_t cell)
{
    struct bh_cell_state *cs = &bh_cell_state[cell];

    bh_lock_acquire(&cs->lock);
    cs->state = BH_CELL_FAILED;
    bh_lock_release(&cs->lock);
}

void bh_cell_end_run(uint32_t cell, uint32_t restart, const char *why)
{
    /* Its PCI functions neither master nor decode any more: no DMA of the old run reaches the new one. */
    bh_pci_quiesce_cell(cell);
    bh_dma_fault_forget(cell);
    bh_console_cell_end_run(cell); /* a cell's last words matter most */
    if (bh_cell_state[cell].quiet == 0U) {
        bh_info("cell %s: %s (%s)", bh_cells[cell].name, (restart != 0U) ? "restarting" : "stopped", why);
        bh_stats_print_cell(cell, (restart != 0U) ? "restart" : "stop");
    }
}

void bh_cell_reset(uint32_t cell)
{
    struct bh_cell_state *cs = &bh_cell_state[cell];

    bh_lock_acquire(&cs->lock);
    bh_cell_init(cell);
    bh_doorbell_reset_cell(cell);
    bh_lock_release(&cs->lock);
    bh_irq_reset_cell(cell);
}

void bh_cell_shutdown(struct bh_hart *h, uint32_t restart, const char *why)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    struct bh_cell_state *cs = h->cell_state;

    bh_lock_acquire(&cs->lock);
    if (cs->state == BH_CELL_STOPPING) {
        /* Another hart of this cell is already stopping it: just park. */
        uint32_t current = cs->epoch;
        bh_lock_release(&cs->lock);
        bh_hart_stop_for(h, current);
        arch_park(h);
    }
    cs->state = BH_CELL_STOPPING;
    cs->epoch++;
    uint32_t epoch = cs->epoch;
    bh_lock_release(&cs->lock);
    /* Its channels stay mapped in the peers: tell them (docs/shmem.md, "Generation"). */
    bh_doorbell_member_changed(h->cell);

    for (uint32_t v = 0; v < c->num_harts; v++) {
        if (c->harts[v] != h->hartid) {
            bh_hart_post(c->harts[v], BH_MSG_STOP);
        }
    }
    bh_hart_stop_for(h, epoch);
    wait_for_other_harts(h, epoch);
    bh_cell_end_run(h->cell, restart, why);
    if ((restart == 0U) || (schedule_restart(h, cs) == 0U)) {
        cs->quiet = 0U;
        cs->state = BH_CELL_STOPPED;
    }
    arch_park(h);
}
