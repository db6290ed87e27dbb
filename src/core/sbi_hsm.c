/* SPDX-License-Identifier: Apache-2.0 */
/* SBI HSM (SBI spec v2.0, ch. 9) over the virtual harts of one cell. */
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include <stddef.h>

static struct sbi_result hart_start(struct bh_hart *h, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint32_t p = bh_cell_phys_hart(h->cell, args[0]);

    if (p == BH_NO_CELL) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    /* The start address must be executable memory of this cell (SBI 9.1). */
    if (((args[1] & 1UL) != 0UL) || (bh_cell_guest_ptr(h->cell, args[1], 2, BH_ACCESS_X) == NULL)) {
        r.error = SBI_ERR_INVALID_ADDRESS;
        return r;
    }
    struct bh_cell_state *cs = &bh_cell_state[h->cell];
    /* Under the cell lock, so a cell that began to stop starts no hart: its
     * stopping hart set BH_CELL_STOPPING under this lock before it posted the
     * STOPs, and a hart started after that would run on in a stopped cell. */
    bh_lock_acquire(&cs->lock);
    if ((cs->state != BH_CELL_RUNNING) || (bh_hart_missing(p) != 0U)) {
        r.error = SBI_ERR_FAILED; /* a hart the firmware never brought up cannot start (SBI 9.1) */
    } else if (bh_hart_request_start(p, args[1], args[2]) == 0U) {
        r.error = SBI_ERR_ALREADY_AVAILABLE;
    } else {
        /* started: the request is posted */
    }
    bh_lock_release(&cs->lock);
    return r;
}

struct sbi_result bh_sbi_hsm(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};

    switch (fid) {
    case SBI_HSM_HART_START: r = hart_start(h, args); break;
    case SBI_HSM_HART_STOP:
        /* Does not return on success (SBI 9.2). */
        bh_hart_stop_self(h);
        arch_park(h);
        break;
    case SBI_HSM_HART_GET_STATUS: {
        uint32_t p = bh_cell_phys_hart(h->cell, args[0]);
        if (p == BH_NO_CELL) {
            r.error = SBI_ERR_INVALID_PARAM;
        } else {
            r.value = bh_hart_hsm_state(p);
        }
        break;
    }
    case SBI_HSM_HART_SUSPEND:
        /* Default retentive suspend is a wfi that resumes here (SBI 9.4). */
        if (args[0] == SBI_HSM_SUSPEND_DEFAULT_RETENTIVE) {
            arch_wait_for_interrupt();
        } else {
            r.error = SBI_ERR_NOT_SUPPORTED;
        }
        break;
    default: r.error = SBI_ERR_NOT_SUPPORTED; break;
    }
    return r;
}
