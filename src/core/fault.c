/*
 * A fault of a cell: report everything needed to understand it, then apply
 * the cell's policy. Other cells never notice.
 */
#include "bulkhead/exits.h"
#include "bulkhead/cell.h"
#include "bulkhead/log.h"
#include "bulkhead/stats.h"

void bh_guest_fault(struct bh_hart *h, const struct bh_fault_info *f)
{
    static const char *const reg_names[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    const struct bh_cell_config *c = bh_hart_cell(h);
    const uint64_t *x = h->frame.x;

    bh_stat_inc(h->hartid, BH_STAT_FAULT);
    bh_error("FAULT cell=%s hart=%u vhart=%u cause=%lu (%s)", c->name, (unsigned)h->hartid,
             (unsigned)h->vhart, f->cause, f->why);
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
    bh_cell_shutdown(h, (c->fault_policy == BH_FAULT_RESTART) ? 1U : 0U, "fault");
}
