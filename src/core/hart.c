/*
 * Harts: the hart array, messages between harts, SBI HSM state transitions
 * and the park loop. Every access to struct bh_hart_shared lives here (or in
 * the inline accessors of hart.h) so its ordering rules are checked in one
 * place.
 */
#include "bulkhead/hart.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/irq.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"

struct bh_hart bh_hart_state[BH_NUM_HARTS];

/* A mailbox bit and what its handler does; a table per hart state, in the
 * order the bits are acted on. */
struct mailbox_handler {
    uint32_t msg;
    void (*handle)(struct bh_hart *h);
};

void bh_hart_init(uint32_t hartid, uint64_t stack_top)
{
    struct bh_hart *h = &bh_hart_state[hartid];

    h->hartid = hartid;
    h->cell = bh_harts[hartid].cell;
    h->vhart = bh_harts[hartid].vhart;
    h->frame.hyp_sp = stack_top;
    __atomic_store_n(&h->shared.hsm_state, HSM_STOPPED, __ATOMIC_RELEASE);
}

void bh_hart_post(uint32_t hartid, uint32_t msg)
{
    bh_atomic_or(&bh_hart_state[hartid].shared.mailbox, msg);
    arch_send_ipi(hartid);
}

/* The one way the HSM state changes: from a named state, atomically. */
static uint32_t hsm_move(struct bh_hart *h, uint32_t from, uint32_t to)
{
    uint32_t expected = from;

    return __atomic_compare_exchange_n(&h->shared.hsm_state, &expected, to, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
               ? 1U
               : 0U;
}

uint32_t bh_hart_hsm_state(uint32_t hartid)
{
    return __atomic_load_n(&bh_hart_state[hartid].shared.hsm_state, __ATOMIC_ACQUIRE);
}

uint32_t bh_hart_request_start(uint32_t hartid, uint64_t addr, uint64_t opaque)
{
    struct bh_hart *t = &bh_hart_state[hartid];

    if (hsm_move(t, HSM_STOPPED, HSM_START_PENDING) == 0U) {
        return 0U;
    }
    /* Ours alone until the owner takes BH_MSG_START (struct bh_hart_shared). */
    t->shared.start_addr = addr;
    t->shared.start_opaque = opaque;
    bh_hart_post(hartid, BH_MSG_START);
    return 1U;
}

void bh_hart_start_guest(struct bh_hart *h, uint64_t pc, uint64_t a0, uint64_t a1)
{
    /* Only the owner leaves STOPPED other than to START_PENDING, and a hart
     * entering its cell's image is stopped: the others of its cell wait
     * parked until it runs, so none can have asked to start it. */
    if (hsm_move(h, HSM_STOPPED, HSM_STARTED) == 0U) {
        bh_panic("hart %u: entering its guest in HSM state %u", (unsigned)h->hartid,
                 (unsigned)bh_hart_hsm_state(h->hartid));
    }
    arch_vcpu_reset(h, pc, a0, a1);
}

void bh_hart_stop_for(struct bh_hart *h, uint32_t epoch)
{
    uint32_t from = bh_hart_hsm_state(h->hartid);

    /* Any state goes to STOPPED; a START_PENDING set meanwhile is overridden too. */
    while (hsm_move(h, from, HSM_STOPPED) == 0U) {
        from = bh_hart_hsm_state(h->hartid);
    }
    arch_vcpu_quiesce();
    __atomic_store_n(&h->shared.stop_ack, epoch, __ATOMIC_RELEASE);
}

uint32_t bh_hart_wait_stopped(uint32_t hartid, uint32_t epoch, uint64_t deadline)
{
    const struct bh_hart *t = &bh_hart_state[hartid];

    while (__atomic_load_n(&t->shared.stop_ack, __ATOMIC_ACQUIRE) != epoch) {
        if (arch_time_now() > deadline) {
            return 0U;
        }
    }
    return 1U;
}

/* A STOP is stale if this hart has already parked for the cell's current
 * epoch: it faulted itself while another hart stopped the cell, acknowledged
 * from bh_cell_shutdown, and the STOP that hart posted is still in the
 * mailbox. Acting on it again after the restart set HSM_START_PENDING would
 * reset the state to HSM_STOPPED and drop the START: the cell never runs. */
static uint32_t stop_is_new(const struct bh_hart *h)
{
    uint32_t epoch = bh_cell_state[h->cell].epoch;

    return (__atomic_load_n(&h->shared.stop_ack, __ATOMIC_ACQUIRE) != epoch) ? 1U : 0U;
}

static void running_stop(struct bh_hart *h)
{
    if (stop_is_new(h) != 0U) {
        bh_hart_stop_for(h, bh_cell_state[h->cell].epoch);
        bh_hart_park(h);
    }
}

static void running_guest_ipi(struct bh_hart *h)
{
    (void)h;
    arch_raise_guest_software_irq();
}


void bh_hart_handle_mailbox(struct bh_hart *h)
{
    /* BH_MSG_START is only meaningful to a parked hart: a running one drops it. */
    static const struct mailbox_handler running_handlers[] = {
        { BH_MSG_STOP, running_stop }, /* first: a stopping cell's hart acts on nothing else */
        { BH_MSG_GUEST_IPI, running_guest_ipi },
        { BH_MSG_VPLIC, bh_irq_line_changed },
    };

    uint32_t msg = bh_atomic_take(&h->shared.mailbox);

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
    if (hsm_move(h, HSM_START_PENDING, HSM_STARTED) != 0U) {
        arch_vcpu_reset(h, h->shared.start_addr, h->vhart, h->shared.start_opaque);
        arch_vcpu_enter(h);
    }
}


static void park_poll(struct bh_hart *h)
{
    /* A parked hart runs no guest: guest IPIs and line updates are for a guest
     * that is gone, and a START entered while STOP is pending would run a
     * stopping cell, so STOP comes first. */
    static const struct mailbox_handler parked_handlers[] = {
        { BH_MSG_STOP, parked_stop },
        { BH_MSG_START, parked_start },
    };

    if (arch_external_irq_pending() != 0U) {
        bh_irq_external(h);
    }
    /* The mailbox is read on every round, not only after an IPI: a request
     * posted before this hart first parked may have lost its IPI to the
     * firmware's own start-up of the hart. */
    (void)arch_take_software_irq();
    uint32_t msg = bh_atomic_take(&h->shared.mailbox);
    for (size_t i = 0; i < (sizeof(parked_handlers) / sizeof(parked_handlers[0])); i++) {
        if ((msg & parked_handlers[i].msg) != 0U) {
            parked_handlers[i].handle(h);
        }
    }
}

void bh_hart_park(struct bh_hart *h)
{
    arch_vcpu_quiesce();
    arch_set_wakeup(ARCH_NO_WAKEUP);
    for (;;) {
        park_poll(h);
        arch_wait_for_interrupt();
    }
}

void bh_hart_stop(struct bh_hart *h)
{
    /* Only the owner leaves STARTED, and its guest is running: this cannot fail. */
    if (hsm_move(h, HSM_STARTED, HSM_STOPPED) == 0U) {
        bh_panic("hart %u: hart_stop in HSM state %u", (unsigned)h->hartid, (unsigned)bh_hart_hsm_state(h->hartid));
    }
    bh_hart_park(h);
}

void bh_hart_park_until(struct bh_hart *h, uint64_t deadline)
{
    arch_set_wakeup(deadline);
    while (arch_time_now() < deadline) {
        park_poll(h);
        arch_wait_for_interrupt();
    }
    arch_set_wakeup(ARCH_NO_WAKEUP);
}
