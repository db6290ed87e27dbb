#include "bulkhead/cell.h"

#include <stddef.h>
#include "arch/cpu.h"
#include "bulkhead/console.h"
#include "bulkhead/exits.h"
#include "bulkhead/irq_direct.h"
#include "bulkhead/log.h"
#include "bulkhead/stats.h"

/* How long a stopping cell waits for its other harts to park: 1 s. */
#define PARK_TIMEOUT_TICKS ((uint64_t)BH_TIMEBASE_FREQ)
#define TICKS_PER_MS ((uint64_t)BH_TIMEBASE_FREQ / 1000U)
#define RESTART_WINDOW_TICKS ((uint64_t)CONFIG_RESTART_WINDOW_S * (uint64_t)BH_TIMEBASE_FREQ)

_Static_assert(CONFIG_RESTART_LIMIT <= BH_RESTART_HISTORY, "restart history too short for CONFIG_RESTART_LIMIT");

struct bh_cell_state bh_cell_state[BH_NUM_CELLS];

uint8_t *bh_cell_guest_ptr(uint32_t cell, uint64_t gpa, uint64_t len, uint32_t access)
{
    const struct bh_cell_config *c = &bh_cells[cell];

    for (uint32_t i = 0; i < c->num_regions; i++) {
        const struct bh_region *r = &c->regions[i];
        if ((gpa >= r->guest_base) && (len <= r->size) && ((gpa - r->guest_base) <= (r->size - len)) &&
            ((r->access & access) == access)) {
            return (uint8_t *)(uintptr_t)(r->host_base + (gpa - r->guest_base));
        }
    }
    return NULL;
}

uint32_t bh_cell_phys_hart(uint32_t cell, uint64_t vhart)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    return (vhart < c->num_harts) ? c->harts[vhart] : BH_NO_CELL;
}

void bh_cell_init(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];

    vplic_init(&cs->vplic, c->num_harts, c->irqs, c->num_irqs);
    if (c->console_base != 0U) {
        uint32_t irq = c->console_irq;
        /* The emulated UART's source is the cell's own in its vPLIC. */
        struct vplic *v = &cs->vplic;
        v->owned[irq / 32U] |= 1U << (irq % 32U);
    }
    vuart_reset(&cs->vuart);
    cs->state = BH_CELL_RUNNING;
}

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

void bh_cell_boot(struct bh_hart *h)
{
    const struct bh_cell_config *c = bh_hart_cell(h);

    h->hsm_state = HSM_STARTED;
    arch_vcpu_reset(h, c->entry, 0, c->dtb_guest);
    bh_info("cell %s: virtual hart 0 (hart %u) enters 0x%lx, DTB at 0x%lx", c->name, (unsigned)h->hartid,
            c->entry, c->dtb_guest);
    arch_vcpu_enter(h);
}

void bh_hart_post(uint32_t hartid, uint32_t msg)
{
    bh_atomic_or(&bh_hart_state[hartid].mailbox, msg);
    arch_send_ipi(hartid);
}

static void update_own_line(struct bh_hart *h)
{
    struct bh_cell_state *cs = &bh_cell_state[h->cell];

    bh_lock_acquire(&cs->lock);
    uint32_t line = vplic_line(&cs->vplic, h->vhart);
    bh_lock_release(&cs->lock);
    h->vseip = line;
    arch_set_guest_external_irq(line);
}

void bh_cell_update_irq_lines(uint32_t cell)
{
    const struct bh_cell_config *c = &bh_cells[cell];
    struct bh_cell_state *cs = &bh_cell_state[cell];
    struct bh_hart *self = arch_this_hart();

    /* In direct mode the lines follow the hardware, not the vPLIC's pending bits. */
    if (c->direct_irq != 0U) {
        return;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        struct bh_hart *t = &bh_hart_state[c->harts[v]];
        bh_lock_acquire(&cs->lock);
        uint32_t line = vplic_line(&cs->vplic, v);
        bh_lock_release(&cs->lock);
        if (t == self) {
            t->vseip = line;
            arch_set_guest_external_irq(line);
        } else if ((line != t->vseip) && (t->hsm_state == HSM_STARTED)) {
            bh_hart_post(t->hartid, BH_MSG_VPLIC);
        } else {
            /* already in the right state, or not running a guest */
        }
    }
}

static void park_for_stop(struct bh_hart *h)
{
    h->hsm_state = HSM_STOPPED;
    arch_vcpu_quiesce();
    __atomic_store_n(&h->stop_ack, bh_cell_state[h->cell].epoch, __ATOMIC_RELEASE);
}

/* A STOP is stale if this hart has already parked for the cell's current
 * epoch: it faulted itself while another hart stopped the cell, acknowledged
 * from bh_cell_shutdown, and the STOP that hart posted is still in the
 * mailbox. Acting on it again after the restart set HSM_START_PENDING would
 * reset the state to HSM_STOPPED and drop the START: the cell never runs. */
static int stop_is_new(const struct bh_hart *h)
{
    return (__atomic_load_n(&h->stop_ack, __ATOMIC_ACQUIRE) != bh_cell_state[h->cell].epoch) ? 1 : 0;
}

void bh_hart_handle_mailbox(struct bh_hart *h)
{
    uint32_t msg = bh_atomic_take(&h->mailbox);

    if (((msg & BH_MSG_STOP) != 0U) && (stop_is_new(h) != 0)) {
        park_for_stop(h);
        bh_hart_park(h);
    }
    if ((msg & BH_MSG_GUEST_IPI) != 0U) {
        arch_raise_guest_software_irq();
    }
    if ((msg & BH_MSG_VPLIC) != 0U) {
        if (bh_hart_cell(h)->direct_irq != 0U) {
            bh_irq_direct_done(h); /* another vhart completed our claim */
        } else {
            update_own_line(h);
        }
    }
    /* BH_MSG_START is only meaningful to a parked hart: a running one drops it. */
}

static void park_poll(struct bh_hart *h)
{
    if (arch_external_irq_pending() != 0U) {
        bh_irq_external(h);
    }
    /* The mailbox is read on every round, not only after an IPI: a request
     * posted before this hart first parked may have lost its IPI to the
     * firmware's own start-up of the hart. */
    (void)arch_take_software_irq();
    uint32_t msg = bh_atomic_take(&h->mailbox);
    if (((msg & BH_MSG_STOP) != 0U) && (stop_is_new(h) != 0)) {
        park_for_stop(h);
    }
    if (((msg & BH_MSG_START) != 0U) && (h->hsm_state == HSM_START_PENDING)) {
        h->hsm_state = HSM_STARTED;
        arch_vcpu_reset(h, h->start_addr, h->vhart, h->start_opaque);
        arch_vcpu_enter(h);
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

static void wait_for_other_harts(struct bh_hart *h, uint32_t epoch)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint64_t deadline = arch_time_now() + PARK_TIMEOUT_TICKS;

    for (uint32_t v = 0; v < c->num_harts; v++) {
        const struct bh_hart *t = &bh_hart_state[c->harts[v]];
        while (__atomic_load_n(&t->stop_ack, __ATOMIC_ACQUIRE) != epoch) {
            if (arch_time_now() > deadline) {
                bh_error("cell %s: hart %u did not park in time", c->name, (unsigned)t->hartid);
                break;
            }
        }
    }
}

/* Parked until deadline, still serving interrupts (this hart may take the console's). */
static void park_until(struct bh_hart *h, uint64_t deadline)
{
    arch_set_wakeup(deadline);
    while (arch_time_now() < deadline) {
        park_poll(h);
        arch_wait_for_interrupt();
    }
    arch_set_wakeup(ARCH_NO_WAKEUP);
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

/* Returns 0 if the restart storm limit stops the cell instead, else waits out the back-off. */
static uint32_t restart_after_backoff(struct bh_hart *h, struct bh_cell_state *cs)
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
    park_until(h, now + (ms * TICKS_PER_MS));
    cs->restart_at[cs->restart_next % BH_RESTART_HISTORY] = arch_time_now();
    cs->restart_next++;
    return 1U;
}

void bh_cell_shutdown(struct bh_hart *h, uint32_t restart, const char *why)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    struct bh_cell_state *cs = &bh_cell_state[h->cell];

    bh_lock_acquire(&cs->lock);
    if (cs->state == BH_CELL_STOPPING) {
        /* Another hart of this cell is already stopping it: just park. */
        bh_lock_release(&cs->lock);
        park_for_stop(h);
        bh_hart_park(h);
    }
    cs->state = BH_CELL_STOPPING;
    cs->epoch++;
    uint32_t epoch = cs->epoch;
    bh_lock_release(&cs->lock);

    for (uint32_t v = 0; v < c->num_harts; v++) {
        if (c->harts[v] != h->hartid) {
            bh_hart_post(c->harts[v], BH_MSG_STOP);
        }
    }
    park_for_stop(h);
    wait_for_other_harts(h, epoch);
    bh_console_cell_flush(h->cell); /* a cell's last words matter most */
    if (cs->quiet == 0U) {
        bh_info("cell %s: %s (%s)", c->name, (restart != 0U) ? "restarting" : "stopped", why);
        bh_stats_print_cell(h->cell, (restart != 0U) ? "restart" : "stop");
    }
    if ((restart == 0U) || (restart_after_backoff(h, cs) == 0U)) {
        cs->quiet = 0U;
        cs->state = BH_CELL_STOPPED;
        bh_hart_park(h);
    }
    cs->quiet = 0U;

    bh_stat_inc(h->hartid, BH_STAT_RESTART);
    cs->restarts++;
    bh_lock_acquire(&cs->lock);
    bh_cell_init(h->cell);
    bh_lock_release(&cs->lock);
    bh_irq_reset_cell(h->cell);
    bh_cell_load(h->cell);
    uint32_t boot = c->harts[0];
    if (boot == h->hartid) {
        bh_cell_boot(h);
    }
    struct bh_hart *b = &bh_hart_state[boot];
    b->start_addr = c->entry;
    b->start_opaque = c->dtb_guest;
    b->hsm_state = HSM_START_PENDING;
    bh_hart_post(boot, BH_MSG_START);
    bh_hart_park(h);
}
