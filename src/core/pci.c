/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PCI pass-through behind the IOMMU (docs/devices.md). Register offsets and
 * bits: PCI Local Bus 3.0 / PCIe base spec 7.5.1 (type 0 header); ECAM:
 * PCIe base spec 7.2.2, function (bus, device, function) at
 * bus << 20 | device << 15 | function << 12.
 */
#include "bulkhead/pci.h"
#include "bulkhead/cell.h"
#include "bulkhead/iommu.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"

#define CFG_ID        0x00U
#define CFG_COMMAND   0x04U
#define CFG_CACHELINE 0x0cU
#define CFG_BAR0      0x10U
#define CFG_BAR_END   0x28U
#define CFG_ROM       0x30U
#define CFG_INTLINE   0x3cU
#define CFG_CAPS      0x40U  /* capabilities: passed through */
#define CFG_EXTENDED  0x100U /* PCIe extended space: read-only to a cell */
#define NUM_BARS      6U

#define CMD_MEMORY       0x2U   /* bit 1 */
#define CMD_MASTER       0x4U   /* bit 2 */
#define CMD_INTX_DISABLE 0x400U /* bit 10 */
#define CMD_ALLOWED      (CMD_MEMORY | CMD_MASTER | CMD_INTX_DISABLE)

#define BAR_IO      1U
#define BAR_TYPE_64 4U /* bits 2:1 = 10b */
#define BAR_FLAGS   0xfU
#define BAR_UNSIZED 0xffffffffU

/* What the hypervisor made of one function at boot. */
struct pci_state {
    uint32_t ready;               /* BARs placed, shown to its cell; 0: absent to it */
    uint32_t bar_value[NUM_BARS]; /* the register as programmed (0 for I/O and unused BARs) */
    uint32_t bar_mask[NUM_BARS];  /* what a sizing read returns (0: the guest sees no BAR) */
    uint32_t sizing;              /* bit i: the guest wrote all-ones to BAR i */
};

static struct pci_state state[BH_NUM_CELLS][BH_MAX_CELL_PCI];
static uint32_t iommu_ok;

_Static_assert((BH_PCI_ECAM_BASE + BH_PCI_ECAM_SIZE) <= 0x40000000UL, "MMIO is mapped as the first gigapage (mmu.c)");

static uint64_t cfg_addr(uint32_t rid, uint32_t reg)
{
    return (uint64_t)BH_PCI_ECAM_BASE + ((uint64_t)rid << 12) + (uint64_t)reg;
}

static uint32_t cfg_read32(uint32_t rid, uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)cfg_addr(rid, reg);
}

static void cfg_write32(uint32_t rid, uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)cfg_addr(rid, reg) = v;
}

static void cfg_write(uint32_t rid, uint32_t reg, uint32_t width, uint32_t v)
{
    if (width == 1U) {
        *(volatile uint8_t *)(uintptr_t)cfg_addr(rid, reg) = (uint8_t)v;
    } else if (width == 2U) {
        *(volatile uint16_t *)(uintptr_t)cfg_addr(rid, reg) = (uint16_t)v;
    } else {
        cfg_write32(rid, reg, v);
    }
}

static void write_bars(uint32_t rid, const struct pci_state *s)
{
    for (uint32_t i = 0; i < NUM_BARS; i++) {
        cfg_write32(rid, CFG_BAR0 + (4U * i), s->bar_value[i]);
    }
    cfg_write32(rid, CFG_ROM, 0U);
}

/* Sizes BAR i (the function's decoding is off); returns the low register's read-back. */
static uint32_t size_bar(uint32_t rid, uint32_t i)
{
    cfg_write32(rid, CFG_BAR0 + (4U * i), BAR_UNSIZED);
    uint32_t v = cfg_read32(rid, CFG_BAR0 + (4U * i));
    cfg_write32(rid, CFG_BAR0 + (4U * i), 0U);
    return v;
}

/* The size mask of memory BAR i from its read-back lo (and, 64-bit, the next BAR's); *pairs = 2 for a 64-bit BAR. */
static uint64_t bar_size_mask(uint32_t rid, uint32_t i, uint32_t lo, uint32_t *pairs)
{
    uint64_t low = (uint64_t)lo & ~(uint64_t)BAR_FLAGS;

    if (((lo & 6U) == BAR_TYPE_64) && ((i + 1U) < NUM_BARS)) {
        uint64_t high = (uint64_t)size_bar(rid, i + 1U);
        *pairs = 2U;
        return (high << 32) | low;
    }
    *pairs = 1U;
    return low | 0xffffffff00000000ULL;
}

/* Places the memory BARs naturally aligned, in order, in the window; -1 if one does not fit. */
static int place_bars(const struct bh_pci_function *f, struct pci_state *s)
{
    uint64_t next = f->window_base;
    const uint64_t end = f->window_base + f->window_size;
    uint32_t i = 0U;

    while (i < NUM_BARS) {
        uint32_t lo = size_bar(f->rid, i);
        uint32_t pairs = 1U;
        if ((lo == 0U) || ((lo & BAR_IO) != 0U)) {
            i++;
            continue; /* unused, or I/O space: never given to a cell (its command bit stays clear) */
        }
        uint64_t mask = bar_size_mask(f->rid, i, lo, &pairs);
        uint64_t size = (~mask) + 1U;
        uint64_t base = ((next + size) - 1U) & ~(size - 1U);
        if ((base < next) || ((base + size) > end) || ((base + size) < base)) {
            bh_error(
                "pci %02x:%02x.%x: BAR %u (0x%lx bytes) does not fit its bar-window 0x%lx+0x%lx: function disabled",
                (unsigned)(f->rid >> 8), (unsigned)((f->rid >> 3) & 31U), (unsigned)(f->rid & 7U), (unsigned)i, size,
                f->window_base, f->window_size);
            return -1;
        }
        s->bar_value[i] = (uint32_t)base | (lo & BAR_FLAGS);
        s->bar_mask[i] = (uint32_t)mask | (lo & BAR_FLAGS);
        if (pairs == 2U) {
            s->bar_value[i + 1U] = (uint32_t)(base >> 32);
            s->bar_mask[i + 1U] = (uint32_t)(mask >> 32);
        }
        next = base + size;
        i += pairs;
    }
    return 0;
}

static void setup_function(uint32_t cell, uint32_t idx)
{
    const struct bh_pci_function *f = &bh_cells[cell].pci[idx];
    struct pci_state *s = &state[cell][idx];
    uint32_t id = cfg_read32(f->rid, CFG_ID);
    uint32_t header = (cfg_read32(f->rid, CFG_CACHELINE) >> 16) & 0x7fU;
    uint32_t pin = (cfg_read32(f->rid, CFG_INTLINE) >> 8) & 0xffU;
    const char *why = NULL;

    (void)memset(s, 0, sizeof(*s));
    if ((id & 0xffffU) == 0xffffU) {
        why = "no such function on the bus";
    } else if (header != 0U) {
        why = "not a type 0 (endpoint) header: bridges are not passed through";
    } else if (pin > 1U) {
        why = "it interrupts on INTB#..INTD#, not on the INTA# line bhconfig gave its cell";
    } else if (iommu_ok == 0U) {
        why = "the IOMMU is not confining DMA";
    } else {
        cfg_write32(f->rid, CFG_COMMAND, CMD_INTX_DISABLE);
        if (place_bars(f, s) == 0) {
            write_bars(f->rid, s);
            s->ready = 1U;
        }
    }
    if (why != NULL) {
        bh_error("cell %s: pci %02x:%02x.%x: %s; it stays disabled and absent to the cell", bh_cells[cell].name,
                 (unsigned)(f->rid >> 8), (unsigned)((f->rid >> 3) & 31U), (unsigned)(f->rid & 7U), why);
    } else if (s->ready != 0U) {
        bh_info("cell %s: pci %02x:%02x.%x (%04x:%04x) BARs in 0x%lx+0x%lx, INTA# source %u, DMA through its G-stage",
                bh_cells[cell].name, (unsigned)(f->rid >> 8), (unsigned)((f->rid >> 3) & 31U), (unsigned)(f->rid & 7U),
                (unsigned)(id & 0xffffU), (unsigned)(id >> 16), f->window_base, f->window_size, (unsigned)f->irq);
    } else {
        /* place_bars reported it */
    }
}

void bh_pci_init(void)
{
    if (BH_IOMMU_BASE == 0U) {
        return;
    }
    if (bh_iommu_init() == 0) {
        iommu_ok = 1U;
    }
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        for (uint32_t i = 0; i < bh_cells[c].num_pci; i++) {
            setup_function(c, i);
        }
    }
}

void bh_pci_quiesce_cell(uint32_t cell)
{
    for (uint32_t i = 0; i < bh_cells[cell].num_pci; i++) {
        struct pci_state *s = &state[cell][i];
        if (s->ready != 0U) {
            cfg_write32(bh_cells[cell].pci[i].rid, CFG_COMMAND, CMD_INTX_DISABLE);
            write_bars(bh_cells[cell].pci[i].rid, s);
            s->sizing = 0U;
        }
    }
}

void bh_pci_stop_master(uint32_t rid)
{
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        for (uint32_t i = 0; i < bh_cells[c].num_pci; i++) {
            if ((bh_cells[c].pci[i].rid == rid) && (state[c][i].ready != 0U)) {
                uint32_t cmd = cfg_read32(rid, CFG_COMMAND) & 0xffffU;
                cfg_write(rid, CFG_COMMAND, 2U, cmd & ~CMD_MASTER);
            }
        }
    }
}

/* The guest's view of the header dword at reg (a multiple of 4). */
static uint32_t view_dword(uint32_t rid, const struct pci_state *s, uint32_t reg)
{
    if ((reg >= CFG_BAR0) && (reg < CFG_BAR_END)) {
        uint32_t i = (reg - CFG_BAR0) / 4U;
        return (((s->sizing >> i) & 1U) != 0U) ? s->bar_mask[i] : s->bar_value[i];
    }
    if (reg == CFG_ROM) {
        return 0U; /* no expansion ROM */
    }
    return cfg_read32(rid, reg);
}

/* A header write (reg below 0x40): only what cannot reach past the function's own window. */
static void header_write(uint32_t rid, struct pci_state *s, uint32_t reg, uint32_t width, uint32_t value)
{
    if ((reg >= CFG_BAR0) && (reg < CFG_BAR_END) && (width == 4U)) {
        /* Sizing is emulated; the address never moves (it was assigned at build time). */
        uint32_t bit = (uint32_t)1U << ((reg - CFG_BAR0) / 4U);
        s->sizing = (value == BAR_UNSIZED) ? (s->sizing | bit) : (s->sizing & ~bit);
    } else if ((reg == CFG_COMMAND) && (width >= 2U)) {
        uint32_t cmd = value & CMD_ALLOWED;
        if ((cmd & CMD_MEMORY) != 0U) {
            write_bars(rid, s); /* a function level reset may have cleared them */
        }
        cfg_write(rid, CFG_COMMAND, 2U, cmd); /* never I/O space; status (RW1C) untouched */
    } else if (((reg == CFG_CACHELINE) || (reg == CFG_INTLINE)) && (width == 1U)) {
        cfg_write(rid, reg, 1U, value); /* plain scratch registers */
    } else {
        /* IDs, status, header type, BIST, ROM, pin: dropped */
    }
}

int bh_pci_ecam_access(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
{
    const struct bh_cell_config *c = bh_hart_cell(h);
    if ((c->ecam_size == 0U) || (gpa < c->ecam_base) || ((gpa - c->ecam_base) >= c->ecam_size)) {
        return -1; /* only a cell with PCI functions has the filtered view */
    }
    uint64_t offset = gpa - c->ecam_base;
    uint32_t rid = (uint32_t)(offset >> 12);
    uint32_t reg = (uint32_t)(offset & 0xfffU);
    struct pci_state *s = NULL;

    if ((width == 0U) || (width > 4U) || ((reg % width) != 0U)) {
        return -1; /* ECAM accesses are 1, 2 or 4 bytes, naturally aligned */
    }
    for (uint32_t i = 0; i < c->num_pci; i++) {
        if ((c->pci[i].rid == rid) && (state[h->cell][i].ready != 0U)) {
            s = &state[h->cell][i];
        }
    }
    static const uint64_t ones_of[5] = {0U, 0xffU, 0xffffU, 0U, 0xffffffffU}; /* by width */
    uint64_t ones = ones_of[width];
    if (s == NULL) {
        if (is_store == 0U) {
            *value = ones; /* absent: vendor ID 0xffff (PCIe base spec 7.5.1.1.1) */
        }
        return 0;
    }
    if (is_store == 0U) {
        uint32_t dword = view_dword(rid, s, reg & ~3U);
        uint32_t shift = (reg & 3U) * 8U;
        *value = ((uint64_t)dword >> shift) & ones;
    } else if (reg < CFG_CAPS) {
        header_write(rid, s, reg, width, (uint32_t)*value);
    } else if (reg < CFG_EXTENDED) {
        cfg_write(rid, reg, width, (uint32_t)*value); /* capabilities (MSI, MSI-X, PM, PCIe): DMA stays confined */
    } else {
        /* extended capabilities (SR-IOV, ACS, ...): read-only to a cell */
    }
    return 0;
}
