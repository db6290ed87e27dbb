/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RAM regions. Host side: inside platform RAM, 4 KiB granular (the smallest
 * G-stage page, priv spec "Two-Stage Address Translation"), and disjoint from
 * the firmware, the hypervisor, all MMIO and every other region. Guest side:
 * inside the 41-bit Sv39x4 space and disjoint from the cell's other regions
 * and from the devices it sees (emulated or passed through), because one
 * guest page can only translate to one place.
 */
#include <stdlib.h>

#include "cellmap.h"
#include "diag.h"
#include "util.h"
#include "validate.h"

#define HEX(v) ((unsigned long long)(v))

struct where {
    const struct sys *s;
    const struct cell *c;
    const struct region *r;
};

static void report(const struct where *w, const char *prop, const char *fmt, uint64_t a, uint64_t b, const char *what,
                   uint64_t c, uint64_t d)
{
    char *where = xasprintf("%s/%s", w->r->name, prop);
    char *msg = xasprintf(fmt, HEX(a), HEX(b), what, HEX(c), HEX(d));
    diag_cell(w->s, w->c, where, "%s", msg);
    free(msg);
    free(where);
}

static bool check_alignment(const struct where *w)
{
    const struct region *r = w->r;
    bool ok = true;
    const struct {
        const char *prop;
        uint64_t v;
    } vals[] = {{"guest-address", r->guest}, {"host-address", r->host}, {"size", r->size}};

    for (size_t i = 0; i < 3U; i++) {
        if (!is_aligned(vals[i].v, SZ_4K)) {
            char *where = xasprintf("%s/%s", r->name, vals[i].prop);
            diag_cell(w->s, w->c, where, "0x%llx is not a multiple of 4 KiB (0x1000)", HEX(vals[i].v));
            free(where);
            ok = false;
        }
    }
    if (r->size == 0U) {
        char *where = xasprintf("%s/size", r->name);
        diag_cell(w->s, w->c, where, "is zero");
        free(where);
        ok = false;
    }
    return ok;
}

static void check_host(const struct where *w, const struct platform *p)
{
    const struct region *r = w->r;
    const struct sys *s = w->s;
    const char *hfmt = "0x%llx..0x%llx overlaps %s 0x%llx..0x%llx";
    uint64_t last = last_byte(r->host, r->size);

    if (!range_inside(r->host, r->size, p->ram.base, p->ram.size)) {
        report(w, "host-address", "0x%llx..0x%llx is not inside %s 0x%llx..0x%llx", r->host, last, "platform RAM",
               p->ram.base, last_byte(p->ram.base, p->ram.size));
    }
    if (ranges_overlap(r->host, r->size, p->firmware.base, p->firmware.size)) {
        char *what = xasprintf("the firmware (%s)", p->firmware_path);
        report(w, "host-address", hfmt, r->host, last, what, p->firmware.base,
               last_byte(p->firmware.base, p->firmware.size));
        free(what);
    }
    if (s->has_hyp && ranges_overlap(r->host, r->size, s->hyp.base, s->hyp.size)) {
        report(w, "host-address", hfmt, r->host, last, "the hypervisor region", s->hyp.base,
               last_byte(s->hyp.base, s->hyp.size));
    }
    for (unsigned m = 0; m < p->num_mmio; m++) {
        const struct range *o = &p->mmio[m].r;
        if (ranges_overlap(r->host, r->size, o->base, o->size)) {
            char *what = xasprintf("platform MMIO %s", p->mmio[m].path);
            report(w, "host-address", hfmt, r->host, last, what, o->base, last_byte(o->base, o->size));
            free(what);
        }
    }
}

/* Host overlap with every region before this one, in this and earlier cells. */
static void check_host_pairs(const struct where *w, unsigned region_index)
{
    const struct sys *s = w->s;

    for (unsigned i = 0; i <= w->c->index; i++) {
        const struct cell *o = &s->cells[i];
        unsigned n = (o == w->c) ? region_index : o->num_regions;
        for (unsigned j = 0; j < n; j++) {
            const struct region *q = &o->regions[j];
            if (!q->valid || !ranges_overlap(w->r->host, w->r->size, q->host, q->size)) {
                continue;
            }
            char *what = (o == w->c) ? xasprintf("%s of the same cell, host", q->name)
                                     : xasprintf("cell '%s' %s, host", o->name, q->name);
            report(w, "host-address", "0x%llx..0x%llx overlaps %s 0x%llx..0x%llx", w->r->host,
                   last_byte(w->r->host, w->r->size), what, q->host, last_byte(q->host, q->size));
            free(what);
        }
    }
}

static void guest_clash(const struct where *w, const char *what, struct range o)
{
    if (ranges_overlap(w->r->guest, w->r->size, o.base, o.size)) {
        report(w, "guest-address", "0x%llx..0x%llx overlaps %s 0x%llx..0x%llx", w->r->guest,
               last_byte(w->r->guest, w->r->size), what, o.base, last_byte(o.base, o.size));
    }
}

static void check_guest(const struct where *w, const struct platform *p, unsigned region_index)
{
    const struct cell *c = w->c;
    const uint64_t limit = 1ULL << 41; /* Sv39x4 guest-physical addresses */

    if (!range_inside(w->r->guest, w->r->size, 0U, limit)) {
        report(w, "guest-address", "0x%llx..0x%llx is not inside %s 0x%llx..0x%llx", w->r->guest,
               last_byte(w->r->guest, w->r->size), "the Sv39x4 guest-physical space", 0U, limit - 1U);
    }
    for (unsigned j = 0; j < region_index; j++) {
        if (c->regions[j].valid) {
            char *what = xasprintf("%s, guest", c->regions[j].name);
            struct range o = {c->regions[j].guest, c->regions[j].size};
            guest_clash(w, what, o);
            free(what);
        }
    }
    guest_clash(w, "the virtual PLIC", cellmap_dev_pages(&p->plic));
    if (c->console == CONSOLE_NS16550) {
        guest_clash(w, "the emulated UART", cellmap_dev_pages(&p->devs[p->uart_dev].regs[0]));
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        if (c->dev_index[d] < 0) {
            continue;
        }
        const struct plat_dev *dev = &p->devs[c->dev_index[d]];
        char *what = xasprintf("device %s", dev->name);
        for (unsigned k = 0; k < dev->num_regs; k++) {
            guest_clash(w, what, cellmap_dev_pages(&dev->regs[k]));
        }
        free(what);
    }
}

void validate_memory(struct sys *s, const struct platform *p, const struct kconf *k)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        struct cell *c = &s->cells[i];
        if (c->num_regions > k->max_regions) {
            diag_cell(s, c, "memory", "%u regions exceed CONFIG_MAX_CELL_REGIONS (%u)", c->num_regions, k->max_regions);
        }
        for (unsigned j = 0; j < c->num_regions; j++) {
            struct where w = {s, c, &c->regions[j]};
            if (!c->regions[j].valid) {
                continue;
            }
            if (!check_alignment(&w)) {
                c->regions[j].valid = false; /* unusable for the overlap rules and the G-stage */
                continue;
            }
            check_host(&w, p);
            check_host_pairs(&w, j);
            check_guest(&w, p, j);
        }
    }
}
