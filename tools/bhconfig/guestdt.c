/* SPDX-License-Identifier: Apache-2.0 */
#include "guestdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellmap.h"
#include "channel.h"
#include "diag.h"
#include "fdt_read.h"
#include "platform.h"
#include "sbuf.h"
#include "util.h"

const char *const guestdt_isa_allowed[] = {
    "i",   "m",   "a",   "f",   "d",     "c",     "zicsr",  "zifencei", "zicntr", "zihpm", "zihintpause",
    "zba", "zbb", "zbc", "zbs", "zmmul", "zaamo", "zalrsc", "zca",      "zcd",    "sstc",  NULL,
};

/* Any libfdt error aborts the build of this DTB; NOSPACE retries bigger. */
#define TRY(expr) \
    do { \
        int err_ = (expr); \
        if (err_ < 0) { \
            return err_; \
        } \
    } while (0)

/*
 * Ssaia (AIA spec ch. 2) only where the guest has an interrupt file behind its
 * CSRs: hstatus.VGEIN names one for an "aia" cell; without one, the guest's
 * vstopei and vsireg accesses to the file would be virtual-instruction traps.
 */
static bool isa_allowed(const char *ext, bool aia)
{
    if (aia && (strcmp(ext, "ssaia") == 0)) {
        return true;
    }
    for (size_t i = 0; guestdt_isa_allowed[i] != NULL; i++) {
        if (strcmp(ext, guestdt_isa_allowed[i]) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Filter the platform hart's riscv,isa-extensions, keeping its order, and
 * build the matching riscv,isa string: "rv64" + single letters, then "_" +
 * each multi-letter extension (ISA manual, "ISA Extension Naming").
 */
static void isa_lists(const void *fdt, int cpu, bool aia, struct sbuf *exts, struct sbuf *isa)
{
    int len = 0;
    const char *list = fdt_getprop(fdt, cpu, "riscv,isa-extensions", &len);
    struct sbuf multi;

    sbuf_init(&multi);
    sbuf_puts(isa, "rv64");
    for (int off = 0; list != NULL && off < len; off += (int)strlen(list + off) + 1) {
        const char *e = list + off;
        if (!isa_allowed(e, aia)) {
            continue;
        }
        sbuf_add(exts, e, strlen(e) + 1U);
        if (strlen(e) == 1U) {
            sbuf_puts(isa, e);
        } else {
            sbuf_printf(&multi, "_%s", e);
        }
    }
    sbuf_add(isa, multi.data, multi.len);
    sbuf_free(&multi);
}

static int prop_u64pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
    fdt64_t v[2] = {cpu_to_fdt64(a), cpu_to_fdt64(b)};
    return fdt_property(fdt, name, v, sizeof(v));
}

/* A platform-level interrupt controller's provider properties (devicetree
 * spec 2.4.2), #address-cells 0 for dtc's interrupt_provider check. */
static int prop_interrupt_provider(void *fdt, uint32_t interrupt_cells)
{
    int rc = fdt_property(fdt, "interrupt-controller", NULL, 0);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#interrupt-cells", interrupt_cells);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#address-cells", 0);
    return rc;
}

static int add_cpu(void *fdt, const struct platform *p, const struct cell *c, unsigned v)
{
    int idx = platform_find_hart(p, c->harts[v]);
    int ph = (idx >= 0) ? p->harts[idx].offset : -FDT_ERR_NOTFOUND;
    struct sbuf exts;
    struct sbuf isa;
    char name[32];
    int rc;

    (void)snprintf(name, sizeof(name), "cpu@%x", v); /* at most 12 characters */
    sbuf_init(&exts);
    sbuf_init(&isa);
    isa_lists(p->fdt, ph, cellmap_aia(c), &exts, &isa);
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "device_type", "cpu");
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "reg", v);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "status", "okay");
    if (rc >= 0)
        rc = fdt_property_string(fdt, "compatible", "riscv");
    if (rc >= 0)
        rc = fdt_property_string(fdt, "mmu-type", "riscv,sv39");
    if (rc >= 0)
        rc = fdt_property_string(fdt, "riscv,isa-base", "rv64i");
    if (rc >= 0)
        rc = fdt_property(fdt, "riscv,isa-extensions", exts.data, (int)exts.len);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "riscv,isa", isa.data);
    if (rc >= 0)
        rc = fdt_begin_node(fdt, "interrupt-controller");
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#interrupt-cells", 1);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#address-cells", 0); /* dtc interrupt_provider check */
    if (rc >= 0)
        rc = fdt_property(fdt, "interrupt-controller", NULL, 0);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "phandle", v + 1U); /* intc of vhart v */
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    sbuf_free(&exts);
    sbuf_free(&isa);
    return rc;
}

static int add_cpus(void *fdt, const struct platform *p, const struct cell *c)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    /* Linux reads it with of_property_read_u32(): one cell when it fits. */
    if (p->timebase <= 0xffffffffULL) {
        TRY(fdt_property_u32(fdt, "timebase-frequency", (uint32_t)p->timebase));
    } else {
        TRY(fdt_property_u64(fdt, "timebase-frequency", p->timebase));
    }
    for (unsigned v = 0; v < c->num_harts; v++) {
        TRY(add_cpu(fdt, p, c, v));
    }
    return fdt_end_node(fdt);
}

static int add_memory(void *fdt, const struct cell *c)
{
    for (unsigned r = 0; r < c->num_regions; r++) {
        const struct region *reg = &c->regions[r];
        char name[40];
        if (!reg->parsed) {
            continue;
        }
        (void)snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)reg->guest); /* <= 23 */
        TRY(fdt_begin_node(fdt, name));
        TRY(fdt_property_string(fdt, "device_type", "memory"));
        TRY(prop_u64pair(fdt, "reg", reg->guest, reg->size));
        TRY(fdt_end_node(fdt));
    }
    return 0;
}

/*
 * The virtual PLIC: context 2v is vhart v's M-mode (IRQ 11), 2v+1 its S-mode
 * (IRQ 9), the numbering Linux and RT-Thread compute from the hart id.
 */
static int add_plic(void *fdt, const struct platform *p, const struct cell *c, uint32_t phandle)
{
    static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    fdt32_t *ext = xcalloc((size_t)c->num_harts * 4U, sizeof(*ext));
    char name[32];
    int rc;

    (void)snprintf(name, sizeof(name), "plic@%llx", (unsigned long long)p->plic.base); /* <= 21 */

    for (unsigned v = 0; v < c->num_harts; v++) {
        ext[4U * v + 0U] = cpu_to_fdt32(v + 1U);
        ext[4U * v + 1U] = cpu_to_fdt32(11U); /* machine external interrupt */
        ext[4U * v + 2U] = cpu_to_fdt32(v + 1U);
        ext[4U * v + 3U] = cpu_to_fdt32(9U); /* supervisor external interrupt */
    }
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property(fdt, "compatible", compat, sizeof(compat));
    if (rc >= 0)
        rc = prop_u64pair(fdt, "reg", p->plic.base, p->plic.size);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "riscv,ndev", p->plic_ndev);
    if (rc >= 0)
        rc = prop_interrupt_provider(fdt, 1);
    if (rc >= 0)
        rc = fdt_property(fdt, "interrupts-extended", ext, (int)(c->num_harts * 16U));
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "phandle", phandle);
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    free(ext);
    return rc;
}

/*
 * An "aia" cell's IMSIC (Linux: Documentation/devicetree/bindings/
 * interrupt-controller/riscv,imsics.yaml): one supervisor-level interrupt
 * file per virtual hart, 4 KiB apart from the platform IMSIC's base, so no
 * guest index bits and the guest's hart index is its virtual hart (AIA spec
 * 3.6). The pages are the guest interrupt files cellmap maps them onto.
 */
static int add_imsic(void *fdt, const struct platform *p, const struct cell *c, uint32_t phandle)
{
    static const char compat[] = "riscv,imsics";
    fdt32_t *ext = xcalloc((size_t)c->num_harts * 2U, sizeof(*ext));
    char name[48];
    int rc;

    (void)snprintf(name, sizeof(name), "interrupt-controller@%llx", (unsigned long long)p->imsic.base);
    for (unsigned v = 0; v < c->num_harts; v++) {
        ext[2U * (size_t)v] = cpu_to_fdt32(v + 1U);
        ext[(2U * (size_t)v) + 1U] = cpu_to_fdt32(9U); /* supervisor external interrupt */
    }
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property(fdt, "compatible", compat, sizeof(compat));
    if (rc >= 0)
        rc = prop_u64pair(fdt, "reg", cellmap_imsic_guest(p, 0U), (uint64_t)c->num_harts * SZ_4K);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "riscv,num-ids", p->imsic_ids);
    if (rc >= 0)
        rc = fdt_property(fdt, "interrupts-extended", ext, (int)(c->num_harts * 8U));
    if (rc >= 0)
        rc = fdt_property(fdt, "msi-controller", NULL, 0);
    if (rc >= 0)
        rc = fdt_property(fdt, "interrupt-controller", NULL, 0);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "#interrupt-cells", 0);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "phandle", phandle);
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    free(ext);
    return rc;
}

/*
 * Its APLIC domain (riscv,aplic.yaml) in MSI mode, at the platform's
 * supervisor domain address and size: the hypervisor emulates it and lets
 * the guest configure only the sources of its own devices.
 */
static int add_aplic(void *fdt, const struct platform *p, uint32_t imsic, uint32_t phandle)
{
    static const char compat[] = "riscv,aplic";
    char name[48];
    int rc;

    (void)snprintf(name, sizeof(name), "interrupt-controller@%llx", (unsigned long long)p->aplic.base);
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property(fdt, "compatible", compat, sizeof(compat));
    if (rc >= 0)
        rc = prop_u64pair(fdt, "reg", p->aplic.base, CELLMAP_VAPLIC_SIZE);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "riscv,num-sources", p->plic_ndev);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "msi-parent", imsic);
    if (rc >= 0)
        rc = prop_interrupt_provider(fdt, 2);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "phandle", phandle);
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    return rc;
}

/*
 * The trigger type of a device's i-th interrupt, as the platform's APLIC
 * describes it (second cell of <source type>); level-high, QEMU virt's
 * wired sources, when the platform gives none.
 */
#define IRQ_TYPE_LEVEL_HIGH 4U
static uint32_t device_irq_type(const struct platform *p, const struct plat_dev *d, unsigned i)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(p->fdt, d->offset, "interrupts", &len);

    if ((p->intc_cells == 2U) && (v != NULL) && ((unsigned)len >= ((i + 1U) * 8U))) {
        return fdt32_to_cpu(v[(i * 2U) + 1U]);
    }
    return IRQ_TYPE_LEVEL_HIGH;
}

/*
 * A platform node as is, except: its PLIC sources are rewritten as
 * `interrupts` on the virtual PLIC (the same source numbers: the virtual PLIC
 * does not renumber), its phandle is dropped (nothing refers to it), and so
 * is the platform file's own `bulkhead,bus-master` (for bhconfig, not guests).
 */
static int copy_device(void *fdt, const struct platform *p, const struct plat_dev *d, uint32_t plic, bool aia)
{
    static const char *const skip[] = {"phandle",    "linux,phandle",       "interrupt-parent",
                                       "interrupts", "interrupts-extended", "bulkhead,bus-master"};
    int off;

    TRY(fdt_begin_node(fdt, d->name));
    fdt_for_each_property_offset(off, p->fdt, d->offset)
    {
        const char *name = NULL;
        int len = 0;
        const void *val = fdt_getprop_by_offset(p->fdt, off, &name, &len);
        bool skipped = false;
        for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
            skipped = skipped || strcmp(name, skip[i]) == 0;
        }
        if (!skipped) {
            TRY(fdt_property(fdt, name, val, len));
        }
    }
    if (d->num_irqs > 0U) {
        size_t cells = aia ? 2U : 1U;
        fdt32_t *irqs = xcalloc((size_t)d->num_irqs * cells, sizeof(*irqs));
        for (unsigned i = 0; i < d->num_irqs; i++) {
            irqs[(size_t)i * cells] = cpu_to_fdt32(d->irqs[i]);
            if (aia) {
                irqs[((size_t)i * cells) + 1U] = cpu_to_fdt32(device_irq_type(p, d, i));
            }
        }
        int rc = fdt_property(fdt, "interrupts", irqs, (int)((size_t)d->num_irqs * cells * sizeof(*irqs)));
        free(irqs);
        TRY(rc);
        TRY(fdt_property_u32(fdt, "interrupt-parent", plic));
    }
    return fdt_end_node(fdt);
}

/*
 * A channel the cell is a member of (binding: docs/shmem.md, "Device tree"):
 * reg = the shared region, then the cell's doorbell slot for it; its
 * doorbell interrupt on the virtual PLIC; the names of every member in
 * member-index order, so a guest can name the peer it rings.
 */
/* The doorbell's source: a virtual PLIC source, or in an "aia" cell an emulated
 * APLIC source, edge-triggered rising (a ring is an event, docs/shmem.md). */
static int add_doorbell_interrupt(void *fdt, const struct cell *c, uint32_t irq)
{
    fdt32_t cells[2] = {cpu_to_fdt32(irq), cpu_to_fdt32(1U)};

    return fdt_property(fdt, "interrupts", cells, cellmap_aia(c) ? (int)sizeof(cells) : (int)sizeof(cells[0]));
}

static int add_channel(void *fdt, const struct sys *s, const struct cell *c, unsigned chan, uint32_t plic)
{
    const struct channel *ch = &s->channels[chan];
    int m = channel_member_of(ch, c->index);
    const struct chan_member *mb = &ch->members[m];
    uint64_t slot = c->doorbell + (uint64_t)channel_slot(s, c->index, chan) * DOORBELL_SLOT_SIZE;
    fdt64_t reg[4] = {cpu_to_fdt64(mb->guest), cpu_to_fdt64(ch->size), cpu_to_fdt64(slot),
                      cpu_to_fdt64(DOORBELL_SLOT_SIZE)};
    static const char reg_names[] = "shm\0doorbell";
    struct sbuf members;
    char name[96];
    int rc;

    (void)snprintf(name, sizeof(name), "%.63s@%llx", ch->name, (unsigned long long)mb->guest);
    sbuf_init(&members);
    for (unsigned i = 0; i < ch->num_members; i++) {
        sbuf_add(&members, ch->members[i].name, strlen(ch->members[i].name) + 1U);
    }
    rc = fdt_begin_node(fdt, name);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "compatible", "bulkhead,channel");
    if (rc >= 0)
        rc = fdt_property(fdt, "reg", reg, sizeof(reg));
    if (rc >= 0)
        rc = fdt_property(fdt, "reg-names", reg_names, sizeof(reg_names));
    if (rc >= 0)
        rc = add_doorbell_interrupt(fdt, c, mb->irq);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "interrupt-parent", plic);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "bulkhead,channel", ch->name);
    if (rc >= 0)
        rc = fdt_property_u32(fdt, "bulkhead,member-index", (uint32_t)m);
    if (rc >= 0)
        rc = fdt_property(fdt, "bulkhead,members", members.data, (int)members.len);
    if (rc >= 0)
        rc = fdt_property_string(fdt, "bulkhead,access", ((mb->access & BH_ACCESS_W) != 0U) ? "rw" : "r");
    if (rc >= 0)
        rc = fdt_property_string(fdt, "linux,uio-name", ch->name); /* /sys/class/uio/uioN/name */
    if (rc >= 0)
        rc = fdt_end_node(fdt);
    sbuf_free(&members);
    return rc;
}

static int add_soc(void *fdt, const struct platform *p, const struct sys *s, const struct cell *c, uint32_t plic)
{
    TRY(fdt_begin_node(fdt, "soc"));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
    TRY(fdt_property(fdt, "ranges", NULL, 0));
    uint32_t imsic = 0U;
    if (cellmap_aia(c)) {
        imsic = plic;
        TRY(add_imsic(fdt, p, c, plic));
        TRY(add_aplic(fdt, p, plic, plic + 1U));
        plic++; /* devices name the APLIC */
    } else {
        TRY(add_plic(fdt, p, c, plic));
    }
    if (c->console == CONSOLE_NS16550) {
        TRY(copy_device(fdt, p, &p->devs[p->uart_dev], plic, cellmap_aia(c)));
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        if (c->dev_index[d] >= 0) {
            TRY(copy_device(fdt, p, &p->devs[c->dev_index[d]], plic, cellmap_aia(c)));
        }
    }
    if (guestdt_has_pci(c)) {
        TRY(guestdt_add_pci_bridge(fdt, p, c, plic, imsic));
    }
    for (unsigned i = 0; c->has_doorbell && (i < s->num_channels); i++) {
        int m = channel_member_of(&s->channels[i], c->index);
        if ((m >= 0) && s->channels[i].members[m].parsed) {
            TRY(add_channel(fdt, s, c, i, plic));
        }
    }
    return fdt_end_node(fdt);
}

static int add_chosen(void *fdt, const struct platform *p, const struct cell *c)
{
    TRY(fdt_begin_node(fdt, "chosen"));
    if (c->bootargs != NULL) {
        TRY(fdt_property_string(fdt, "bootargs", c->bootargs));
    }
    if (c->console == CONSOLE_NS16550) {
        TRY(fdt_property_string(fdt, "stdout-path", p->devs[p->uart_dev].path));
    }
    if (guestdt_has_pci(c)) {
        /* the hypervisor placed the BARs and never moves one: keep them (guestdt_pci.c) */
        TRY(fdt_property_u32(fdt, "linux,pci-probe-only", 1));
    }
    return fdt_end_node(fdt);
}

static int build(void *fdt, int bufsize, const struct platform *p, const struct sys *s, const struct cell *c)
{
    uint32_t plic = c->num_harts + 1U; /* phandles 1..n are the cpu intcs */

    TRY(fdt_create(fdt, bufsize));
    TRY(fdt_finish_reservemap(fdt));
    TRY(fdt_begin_node(fdt, ""));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property(fdt, "compatible", p->compatible, p->compatible_len));
    TRY(fdt_property_string(fdt, "model", p->model));
    TRY(add_chosen(fdt, p, c));
    TRY(add_cpus(fdt, p, c));
    TRY(add_memory(fdt, c));
    TRY(add_soc(fdt, p, s, c, plic));
    TRY(fdt_end_node(fdt));
    return fdt_finish(fdt);
}

void *guestdt_build(const struct platform *p, const struct sys *s, const struct cell *c, size_t *size)
{
    for (int bufsize = 16384; bufsize <= (1 << 24); bufsize *= 2) {
        void *fdt = xcalloc(1U, (size_t)bufsize);
        int rc = build(fdt, bufsize, p, s, c);
        if (rc == 0) {
            *size = fdt_totalsize(fdt);
            return fdt;
        }
        free(fdt);
        if (rc != -FDT_ERR_NOSPACE) {
            diag_cell(s, c, "dtb", "cannot build the guest device tree: %s", fdt_strerror(rc));
            return NULL;
        }
    }
    diag_cell(s, c, "dtb", "guest device tree larger than 16 MiB");
    return NULL;
}
