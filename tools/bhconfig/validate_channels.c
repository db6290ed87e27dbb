/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared-memory channels and doorbell pages (docs/shmem.md, docs/config.md
 * "Channels"). Host side: a channel is 4 KiB granular (the smallest G-stage
 * page), inside platform RAM, and disjoint from the firmware, the
 * hypervisor, all MMIO, every cell's RAM and every other channel; without a
 * host-address it is placed at the lowest such free range. Each member cell
 * sees it at a guest address that holds nothing else of that cell (one guest
 * page translates to one place), with rights "rw" or "r", and its doorbell
 * raises a virtual PLIC source that no device, console or other channel of
 * that cell uses. A channel has at least two members: otherwise it shares
 * nothing. A cell that claims its interrupts in hardware (direct mode) has
 * no virtual line a doorbell could raise.
 */
#include <stdlib.h>

#include "cellmap.h"
#include "channel.h"
#include "diag.h"
#include "util.h"
#include "validate.h"

#define HEX(v) ((unsigned long long)(v))

/* Sv39x4 guest-physical addresses have 41 bits. */
#define GUEST_LIMIT (1ULL << 41)

struct obstacle {
    struct range r;
    char *what;
};

struct obstacles {
    struct obstacle *v;
    unsigned n;
};

static void add(struct obstacles *o, uint64_t base, uint64_t size, char *what)
{
    o->v = xrealloc(o->v, (o->n + 1U) * sizeof(*o->v));
    o->v[o->n++] = (struct obstacle){{base, size}, what};
}

static void free_obstacles(struct obstacles *o)
{
    for (unsigned i = 0; i < o->n; i++) {
        free(o->v[i].what);
    }
    free(o->v);
    o->v = NULL;
    o->n = 0;
}

/* Everything in host-physical space a channel must not touch, channels before `upto` included. */
static void host_obstacles(const struct sys *s, const struct platform *p, unsigned upto, struct obstacles *o)
{
    add(o, p->firmware.base, p->firmware.size, xasprintf("the firmware (%s)", p->firmware_path));
    if (s->has_hyp) {
        add(o, s->hyp.base, s->hyp.size, xstrdup("the hypervisor region"));
    }
    for (unsigned m = 0; m < p->num_mmio; m++) {
        add(o, p->mmio[m].r.base, p->mmio[m].r.size, xasprintf("platform MMIO %s", p->mmio[m].path));
    }
    for (unsigned i = 0; i < s->num_cells; i++) {
        const struct cell *c = &s->cells[i];
        for (unsigned j = 0; j < c->num_regions; j++) {
            if (c->regions[j].valid) {
                add(o, c->regions[j].host, c->regions[j].size,
                    xasprintf("cell '%s' %s, host", c->name, c->regions[j].name));
            }
        }
    }
    for (unsigned i = 0; i < upto; i++) {
        const struct channel *ch = &s->channels[i];
        if (ch->placed) {
            add(o, ch->host, ch->size, xasprintf("channel '%s', host", ch->name));
        }
    }
}

/* Everything in the guest-physical space of cell c a channel or its doorbell page must not touch. */
static void guest_obstacles(const struct platform *p, const struct cell *c, struct obstacles *o)
{
    for (unsigned j = 0; j < c->num_regions; j++) {
        if (c->regions[j].valid) {
            add(o, c->regions[j].guest, c->regions[j].size, xasprintf("%s, guest", c->regions[j].name));
        }
    }
    struct range plic = cellmap_dev_pages(&p->plic);
    add(o, plic.base, plic.size, xstrdup("the virtual PLIC"));
    if (c->console == CONSOLE_NS16550) {
        struct range u = cellmap_dev_pages(&p->devs[p->uart_dev].regs[0]);
        add(o, u.base, u.size, xstrdup("the emulated UART"));
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        if (c->dev_index[d] < 0) {
            continue;
        }
        const struct plat_dev *dev = &p->devs[c->dev_index[d]];
        for (unsigned k = 0; k < dev->num_regs; k++) {
            struct range pg = cellmap_dev_pages(&dev->regs[k]);
            add(o, pg.base, pg.size, xasprintf("device %s", dev->name));
        }
    }
}

/* Report every obstacle [base, base+size) overlaps; returns whether none did. */
static bool report_overlaps(const char *file, const char *where, const char *prop, uint64_t base, uint64_t size,
                            const struct obstacles *o)
{
    bool ok = true;
    for (unsigned i = 0; i < o->n; i++) {
        const struct range *r = &o->v[i].r;
        if (ranges_overlap(base, size, r->base, r->size)) {
            diag_at(file, where, prop, "0x%llx..0x%llx overlaps %s 0x%llx..0x%llx", HEX(base),
                    HEX(last_byte(base, size)), o->v[i].what, HEX(r->base), HEX(last_byte(r->base, r->size)));
            ok = false;
        }
    }
    return ok;
}

/* The lowest 4 KiB-aligned range of `size` in platform RAM that touches no obstacle; false if none. */
static bool place(const struct platform *p, uint64_t size, const struct obstacles *o, uint64_t *out)
{
    uint64_t at = align_up(p->ram.base, SZ_4K);
    bool moved = true;

    while (moved) {
        moved = false;
        if (!range_inside(at, size, p->ram.base, p->ram.size)) {
            return false;
        }
        for (unsigned i = 0; i < o->n; i++) {
            const struct range *r = &o->v[i].r;
            if (ranges_overlap(at, size, r->base, r->size)) {
                at = align_up(range_end(r), SZ_4K);
                moved = true;
            }
        }
    }
    *out = at;
    return true;
}

static bool check_size(const struct sys *s, const struct channel *ch, const char *where)
{
    if (ch->size == 0U) {
        return false; /* missing, bad or zero: reported by the parser */
    }
    if (!is_aligned(ch->size, SZ_4K)) {
        diag_at(s->file, where, "size", "0x%llx is not a multiple of 4 KiB (0x1000)", HEX(ch->size));
        return false;
    }
    return true;
}

static void check_host(struct sys *s, const struct platform *p, struct channel *ch, const char *where)
{
    struct obstacles o = {NULL, 0};

    host_obstacles(s, p, ch->index, &o);
    if (ch->has_host) {
        uint64_t last = last_byte(ch->host, ch->size);
        bool ok = true;
        if (!is_aligned(ch->host, SZ_4K)) {
            diag_at(s->file, where, "host-address", "0x%llx is not a multiple of 4 KiB (0x1000)", HEX(ch->host));
            ok = false;
        } else if (!range_inside(ch->host, ch->size, p->ram.base, p->ram.size)) {
            diag_at(s->file, where, "host-address", "0x%llx..0x%llx is not inside platform RAM 0x%llx..0x%llx",
                    HEX(ch->host), HEX(last), HEX(p->ram.base), HEX(last_byte(p->ram.base, p->ram.size)));
            ok = false;
        } else {
            ok = report_overlaps(s->file, where, "host-address", ch->host, ch->size, &o);
        }
        ch->placed = ok;
    } else if (place(p, ch->size, &o, &ch->host)) {
        ch->placed = true;
    } else {
        diag_at(s->file, where, "size", "0x%llx bytes: no free range of platform RAM 0x%llx..0x%llx is that large",
                HEX(ch->size), HEX(p->ram.base), HEX(last_byte(p->ram.base, p->ram.size)));
    }
    free_obstacles(&o);
}

/* The channels before `upto` that cell `cell` is a member of, as guest obstacles. */
static void earlier_channels(const struct sys *s, unsigned cell, unsigned upto, struct obstacles *o)
{
    for (unsigned i = 0; i < upto; i++) {
        const struct channel *ch = &s->channels[i];
        int m = channel_member_of(ch, cell);
        if ((m >= 0) && ch->members[m].valid) {
            add(o, ch->members[m].guest, ch->size, xasprintf("channel '%s', guest", ch->name));
        }
    }
}

static bool check_guest(const struct sys *s, const struct platform *p, const struct channel *ch,
                        const struct chan_member *m, const char *where)
{
    const struct cell *c = &s->cells[m->cell];
    struct obstacles o = {NULL, 0};
    bool ok;

    if (!is_aligned(m->guest, SZ_4K)) {
        diag_at(s->file, where, "guest-address", "0x%llx is not a multiple of 4 KiB (0x1000)", HEX(m->guest));
        return false;
    }
    if (!range_inside(m->guest, ch->size, 0U, GUEST_LIMIT)) {
        diag_at(s->file, where, "guest-address",
                "0x%llx..0x%llx is not inside the Sv39x4 guest-physical space "
                "0x0..0x%llx",
                HEX(m->guest), HEX(last_byte(m->guest, ch->size)), HEX(GUEST_LIMIT - 1U));
        return false;
    }
    guest_obstacles(p, c, &o);
    if (c->has_doorbell) {
        add(&o, c->doorbell, SZ_4K, xstrdup("the cell's doorbell page"));
    }
    earlier_channels(s, (unsigned)m->cell, ch->index, &o);
    ok = report_overlaps(s->file, where, "guest-address", m->guest, ch->size, &o);
    free_obstacles(&o);
    return ok;
}

/* The interrupt of the member of an earlier channel in the same cell, or 0. */
static const struct channel *irq_in_earlier(const struct sys *s, unsigned cell, unsigned upto, uint32_t irq)
{
    for (unsigned i = 0; i < upto; i++) {
        int m = channel_member_of(&s->channels[i], cell);
        if ((m >= 0) && s->channels[i].members[m].parsed && (s->channels[i].members[m].irq == irq)) {
            return &s->channels[i];
        }
    }
    return NULL;
}

static bool check_irq(const struct sys *s, const struct platform *p, const struct channel *ch,
                      const struct chan_member *m, const char *where)
{
    const struct cell *c = &s->cells[m->cell];
    const struct channel *other = irq_in_earlier(s, (unsigned)m->cell, ch->index, m->irq);

    if ((m->irq == 0U) || (m->irq > p->plic_ndev)) {
        diag_at(s->file, where, "interrupt", "%u is not a PLIC source (1..%u = riscv,ndev)", m->irq, p->plic_ndev);
        return false;
    }
    if ((c->console == CONSOLE_NS16550) && (m->irq == p->devs[p->uart_dev].irqs[0])) {
        diag_at(s->file, where, "interrupt", "%u is the cell's emulated UART interrupt", m->irq);
        return false;
    }
    for (unsigned q = 0; q < c->num_irqs; q++) {
        if (c->irqs[q] == m->irq) {
            diag_at(s->file, where, "interrupt", "%u is an interrupt of a device of the cell", m->irq);
            return false;
        }
    }
    if (other != NULL) {
        diag_at(s->file, where, "interrupt", "%u already rings the cell for channel '%s'", m->irq, other->name);
        return false;
    }
    if (cellmap_direct_irq(p, c)) {
        diag_at(s->file, where, "interrupt",
                "%u: the cell claims its interrupts in hardware (console = \"sbi\" with devices), so no "
                "virtual interrupt can ring it; give it console = \"ns16550\"",
                m->irq);
        return false;
    }
    return true;
}

static void check_member(const struct sys *s, const struct platform *p, struct channel *ch, struct chan_member *m,
                         bool placed)
{
    char *where = xasprintf("channel '%s': cell '%s'", ch->name, m->name);

    if (m->parsed) {
        bool ok = placed && (ch->size != 0U);
        ok = ok && check_guest(s, p, ch, m, where);
        ok = check_irq(s, p, ch, m, where) && ok;
        m->valid = ok && s->cells[m->cell].has_doorbell;
    }
    free(where);
}

/* Each cell: a doorbell page exactly when it is in some channel, on a free guest page. */
static void check_doorbells(const struct sys *s, const struct platform *p)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        struct cell *c = &s->cells[i];
        unsigned slots = channel_slots_of(s, i);
        if ((slots > 0U) && !c->has_doorbell) {
            diag_cell(s, c, "doorbell-address",
                      "missing: the cell is a member of %u channel(s) and needs a guest page for their doorbells",
                      slots);
            continue;
        }
        if (!c->has_doorbell) {
            continue;
        }
        if (slots == 0U) {
            diag_cell(s, c, "doorbell-address", "0x%llx given, but the cell is a member of no channel",
                      HEX(c->doorbell));
            c->has_doorbell = false;
            continue;
        }
        if (slots > DOORBELL_MAX_SLOTS) {
            diag_cell(s, c, "doorbell-address", "%u channels exceed the %u doorbell slots of one page", slots,
                      DOORBELL_MAX_SLOTS);
        }
        if (!is_aligned(c->doorbell, SZ_4K) || !range_inside(c->doorbell, SZ_4K, 0U, GUEST_LIMIT)) {
            diag_cell(s, c, "doorbell-address",
                      "0x%llx is not a 4 KiB aligned page of the Sv39x4 guest-physical "
                      "space",
                      HEX(c->doorbell));
            c->has_doorbell = false;
            continue;
        }
        struct obstacles o = {NULL, 0};
        char *where = xasprintf("cell '%s'", c->name);
        guest_obstacles(p, c, &o);
        if (!report_overlaps(s->file, where, "doorbell-address", c->doorbell, SZ_4K, &o)) {
            c->has_doorbell = false;
        }
        free(where);
        free_obstacles(&o);
    }
}

void validate_channels(struct sys *s, const struct platform *p)
{
    check_doorbells(s, p);
    for (unsigned i = 0; i < s->num_channels; i++) {
        struct channel *ch = &s->channels[i];
        char *where = xasprintf("channel '%s'", ch->name);
        bool sized = check_size(s, ch, where);
        if (ch->num_members < 2U) {
            diag_at(s->file, where, "node", "%u member cell(s): a channel needs at least two", ch->num_members);
        }
        if (sized) {
            check_host(s, p, ch, where);
        }
        for (unsigned m = 0; m < ch->num_members; m++) {
            check_member(s, p, ch, &ch->members[m], sized && ch->placed && (ch->num_members >= 2U));
        }
        free(where);
    }
}
