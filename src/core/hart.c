/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Harts: the hart array, posting messages, SBI HSM state transitions and
 * stop acknowledgements. Every write of struct bh_hart_shared lives here (or
 * in the inline accessors of hart.h), so its ordering rules are checked in
 * one place; taking the mailbox and the park loop: hart_park.c.
 */
#include "bulkhead/hart.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/console_out.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"
#include "bulkhead/stat_counts.h"

/* Hypervisor data per hart id, as bhconfig budgets it for every id of the
 * platform (abi.h): this state (its exit counters included), the generated
 * hart table and stack slot entries. */
_Static_assert((sizeof(struct bh_hart) + sizeof(struct bh_hart_config) + sizeof(uint16_t)) <= BH_HART_DATA_MAX,
               "per-hart data exceeds BH_HART_DATA_MAX, which bhconfig budgets per hart id");

struct bh_hart bh_hart_state[BH_NUM_HARTS];

void bh_hart_init(uint32_t hartid, uint64_t stack_top)
{
    struct bh_hart *h = &bh_hart_state[hartid];

    h->hartid = hartid;
    h->cell = bh_harts[hartid].cell;
    if (h->cell != BH_NO_CELL) {
        h->cell_config = &bh_cells[h->cell];
        h->cell_state = &bh_cell_state[h->cell];
        h->console_output = bh_console_output_of(h->cell);
    }
    h->vhart = bh_harts[hartid].vhart;
    h->frame.hyp_sp = stack_top;
    h->restart_due = BH_NO_RESTART;
    __atomic_store_n(&h->shared.hsm_state, HSM_STOPPED, __ATOMIC_RELEASE);
}

void bh_hart_post(uint32_t hartid, uint32_t msg)
{
    bh_atomic_or(&bh_hart_state[hartid].shared.mailbox, msg);
    arch_send_ipi(hartid);
}

/*
 * The HSM state changes Bulkhead makes (SBI spec v2.0, ch. 9, figure "SBI HSM
 * state machine"): a stopped hart asked to start is START_PENDING (hart_start),
 * a start-pending hart that takes the request is STARTED; a started hart that
 * stops is STOPPED at once (hart_stop: STOP_PENDING lasts no time another
 * hart could see, the move is one atomic step); a stopped hart of a cell
 * entering its image at the cell's boot is STARTED, as the firmware starts
 * a boot hart; and when its cell stops or restarts, a hart in any state is
 * STOPPED. No other change: never into STOP_PENDING or a suspend state,
 * never from STARTED back to START_PENDING.
 */
/*@ predicate hsm_step(integer from, integer to) =
      (from == HSM_STOPPED && to == HSM_START_PENDING) ||
      (from == HSM_START_PENDING && to == HSM_STARTED) ||
      (from == HSM_STOPPED && to == HSM_STARTED) ||
      to == HSM_STOPPED;
*/

/* The one way the HSM state changes: from a named state, atomically. The
 * contract is proved by WP (`make prove`, docs/safety/proof.md; proves:
 * SBI-HSM-2); its precondition, that each caller asks for a step of the
 * state machine, is checked by EVA at every call. */
/*@ requires \valid(h);
    requires hsm_step(from, to);
    assigns h->shared.hsm_state;
    behavior moved:
      assumes h->shared.hsm_state == from;
      ensures \result == 1 && h->shared.hsm_state == to;
      ensures hsm_step(\old(h->shared.hsm_state), h->shared.hsm_state);
    behavior refused:
      assumes h->shared.hsm_state != from;
      ensures \result == 0 && h->shared.hsm_state == \old(h->shared.hsm_state);
    complete behaviors;
    disjoint behaviors;
*/
static uint32_t hsm_move(struct bh_hart *h, uint32_t from, uint32_t to)
{
    uint32_t expected = from;

    return __atomic_compare_exchange_n(&h->shared.hsm_state, &expected, to, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) ? 1U
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

uint32_t bh_hart_take_mailbox(struct bh_hart *h)
{
    return bh_atomic_take(&h->shared.mailbox);
}

uint32_t bh_hart_take_start(struct bh_hart *h, uint64_t *addr, uint64_t *opaque)
{
    if (hsm_move(h, HSM_START_PENDING, HSM_STARTED) == 0U) {
        return 0U;
    }
    *addr = h->shared.start_addr;
    *opaque = h->shared.start_opaque;
    return 1U;
}

uint32_t bh_hart_stop_acked(const struct bh_hart *h)
{
    return __atomic_load_n(&h->shared.stop_ack, __ATOMIC_ACQUIRE);
}

void bh_hart_stop_self(struct bh_hart *h)
{
    /* Only the owner leaves STARTED, and its guest is running: this cannot fail. */
    if (hsm_move(h, HSM_STARTED, HSM_STOPPED) == 0U) {
        bh_panic("hart %u: hart_stop in HSM state %u", (unsigned)h->hartid, (unsigned)bh_hart_hsm_state(h->hartid));
    }
}
