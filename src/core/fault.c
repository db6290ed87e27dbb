/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fault of a cell: report everything needed to understand it, then apply
 * the cell's policy. Other cells never notice.
 */
#include "bulkhead/exits.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"
#include "bulkhead/dma_fault.h"
#include "bulkhead/log.h"
#include "bulkhead/stat_counts.h"

#define REPORT_INTERVAL_TICKS (((uint64_t)CONFIG_FAULT_REPORT_INTERVAL_MS * (uint64_t)BH_TIMEBASE_FREQ) / 1000U)

/* A cell that faults again and again must not bury the console: one full
 * report per CONFIG_FAULT_REPORT_INTERVAL_MS, the rest counted. Returns the
 * number suppressed before this one, or -1 if this one is suppressed too. */
static long report_allowed(struct bh_cell_state *cs, uint64_t interval)
{
    uint64_t now = arch_time_now();
    long before = -1;

    bh_lock_acquire(&cs->lock);
    if ((cs->report_at == 0U) || ((now - cs->report_at) >= interval)) {
        before = (long)cs->reports_suppressed;
        cs->reports_suppressed = 0U;
        cs->report_at = now;
        cs->quiet = 0U;
    } else {
        cs->reports_suppressed++;
        cs->quiet = 1U;
    }
    bh_lock_release(&cs->lock);
    return before;
}

static void report(const struct bh_hart *h, const struct bh_fault_info *f, long suppressed)
{
    static const char *const reg_names[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
        "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    const struct bh_cell_config *c = bh_hart_cell(h);
    const uint64_t *x = h->frame.x;

    if (suppressed > 0) {
        bh_error("FAULT cell=%s: %ld reports suppressed since the last one (CONFIG_FAULT_REPORT_INTERVAL_MS)", c->name,
                 suppressed);
    }
    bh_error("FAULT cell=%s hart=%u vhart=%u cause=%lu (%s)", c->name, (unsigned)h->hartid, (unsigned)h->vhart,
             f->cause, f->why);
    if (f->gpa_valid != 0U) {
        bh_error("FAULT sepc=0x%016lx stval=0x%016lx htval=0x%016lx (gpa 0x%lx) htinst=0x%016lx", f->sepc, f->stval,
                 f->htval, (f->htval << 2) | (f->stval & 3UL), f->htinst);
    } else {
        /* htval holds no address for any other cause: do not print one. */
        bh_error("FAULT sepc=0x%016lx stval=0x%016lx htval=0x%016lx htinst=0x%016lx", f->sepc, f->stval, f->htval,
                 f->htinst);
    }
    for (uint32_t i = 0; i < 32U; i += 4U) {
        bh_error("FAULT %s=0x%016lx %s=0x%016lx %s=0x%016lx %s=0x%016lx", reg_names[i], x[i], reg_names[i + 1U],
                 x[i + 1U], reg_names[i + 2U], x[i + 2U], reg_names[i + 3U], x[i + 3U]);
    }
    bh_error("FAULT policy=%s", (c->fault_policy == BH_FAULT_RESTART) ? "restart" : "stop");
}

void bh_guest_fault(struct bh_hart *h, const struct bh_fault_info *f)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    long suppressed = report_allowed(&bh_cell_state[h->cell], REPORT_INTERVAL_TICKS);

    bh_stat_inc(&h->stats, BH_STAT_FAULT);
    if (suppressed >= 0) {
        report(h, f, suppressed);
    }
    bh_cell_shutdown(h, (c->fault_policy == BH_FAULT_RESTART) ? 1U : 0U, "fault");
}

void bh_dma_fault_take(struct bh_hart *h)
{
    if ((h->cell == BH_NO_CELL) || (bh_dma_fault_claim(h->cell) == 0U)) {
        return;
    }
    /* Reported by the hart that drained the fault queue (dma_fault.c); the function no longer masters. */
    bh_stat_inc(&h->stats, BH_STAT_FAULT);
    bh_cell_shutdown(h, (bh_hart_cell(h)->fault_policy == BH_FAULT_RESTART) ? 1U : 0U, "DMA fault");
}
