/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hart between guest runs: the messages other harts post to it (taken on
 * its software interrupt, each bit dispatched through a const table), and
 * the park loop of a hart whose guest is stopped.
 */
#include "bulkhead/hart_park.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"
#include "bulkhead/hart.h"
#include "bulkhead/irq.h"
#include "bulkhead/stat_counts.h"

/* A mailbox bit and what its handler does; a table per hart state, in the
 * order the bits are acted on. */
struct mailbox_handler {
    uint32_t msg;
    void (*handle)(struct bh_hart *h);
};

/* A STOP is stale if this hart has already parked for the cell's current
 * epoch: it faulted itself while another hart stopped the cell, acknowledged
 * from bh_cell_shutdown, and the STOP that hart posted is still in the
 * mailbox. Acting on it again after the restart set HSM_START_PENDING would
 * reset the state to HSM_STOPPED and drop the START: the cell never runs. */
static uint32_t stop_is_new(const struct bh_hart *h)
{
    uint32_t epoch = bh_cell_state[h->cell].epoch;

    return (bh_hart_stop_acked(h) != epoch) ? 1U : 0U;
}

static void running_stop(struct bh_hart *h)
{
    if (stop_is_new(h) != 0U) {
        bh_hart_stop_for(h, bh_cell_state[h->cell].epoch);
        arch_park(h);
    }
}

static void running_guest_ipi(struct bh_hart *h)
{
    (void)h;
    arch_raise_guest_software_irq();
}

void bh_hart_software_irq(struct bh_hart *h)
{
    /* BH_MSG_START is only meaningful to a parked hart: a running one drops it. */
    static const struct mailbox_handler running_handlers[] = {
        {BH_MSG_STOP, running_stop}, /* first: a stopping cell's hart acts on nothing else */
        {BH_MSG_GUEST_IPI, running_guest_ipi},
        {BH_MSG_VPLIC, bh_irq_line_changed},
    };

    bh_stat_inc(&h->stats, BH_STAT_IRQ_SOFTWARE);
    (void)arch_take_software_irq();
    uint32_t msg = bh_hart_take_mailbox(h);
    for (size_t i = 0; i < (sizeof(running_handlers) / sizeof(running_handlers[0])); i++) {
        if ((msg & running_handlers[i].msg) != 0U) {
            running_handlers[i].handle(h);
        }
    }
}

static void parked_stop(struct bh_hart *h)
{
    if (stop_is_new(h) != 0U) {
        bh_hart_stop_for(h, bh_cell_state[h->cell].epoch);
    }
}

static void parked_start(struct bh_hart *h)
{
    uint64_t addr = 0U;
    uint64_t opaque = 0U;

    if (bh_hart_take_start(h, &addr, &opaque) != 0U) {
        arch_vcpu_reset(h, addr, h->vhart, opaque);
        arch_vcpu_enter(h);
    }
}

static void park_poll(struct bh_hart *h)
{
    /* A parked hart runs no guest: guest IPIs and line updates are for a guest
     * that is gone, and a START entered while STOP is pending would run a
     * stopping cell, so STOP comes first. */
    static const struct mailbox_handler parked_handlers[] = {
        {BH_MSG_STOP, parked_stop},
        {BH_MSG_START, parked_start},
    };

    if (arch_external_irq_pending() != 0U) {
        bh_irq_external(h);
    }
    /* The mailbox is read on every round, not only after an IPI: a request
     * posted before this hart first parked may have lost its IPI to the
     * firmware's own start-up of the hart. */
    (void)arch_take_software_irq();
    uint32_t msg = bh_hart_take_mailbox(h);
    for (size_t i = 0; i < (sizeof(parked_handlers) / sizeof(parked_handlers[0])); i++) {
        if ((msg & parked_handlers[i].msg) != 0U) {
            parked_handlers[i].handle(h);
        }
    }
}

void bh_hart_park_round(struct bh_hart *h)
{
    park_poll(h);
    bh_cell_restart_when_due(h);
}

void bh_hart_park_loop(struct bh_hart *h)
{
    arch_vcpu_quiesce();
    arch_set_wakeup(ARCH_NO_WAKEUP);
    for (;;) {
        bh_hart_park_round(h);
        arch_wait_for_interrupt();
    }
}
