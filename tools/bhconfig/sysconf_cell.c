/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One cell node of the system config: the shape of each property, its
 * default, and the RAM region child nodes.
 */
#include <ctype.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fdt_read.h"
#include "sysconf.h"
#include "util.h"

static const char *const cell_props[] = {
    "harts",   "image",   "image-address", "entry", "dtb-address",      "bootargs",
    "console", "devices", "fault-policy",  "dma",   "doorbell-address", "interrupt-controller",
};
static const char *const region_props[] = {"guest-address", "host-address", "size", "access"};

static bool known(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Report properties the compiler would otherwise ignore (typos). */
static void check_props(const struct sys *s, const struct cell *c, int node, const char *const *list, size_t n,
                        const char *prefix)
{
    const void *fdt = s->fdt;
    int off;

    fdt_for_each_property_offset(off, fdt, node)
    {
        const char *name = NULL;
        (void)fdt_getprop_by_offset(fdt, off, &name, NULL);
        if (!known(name, list, n)) {
            char *prop = xasprintf("%s%s", prefix, name);
            diag_cell(s, c, prop, "unknown property");
            free(prop);
        }
    }
}

static void parse_harts(const struct sys *s, int node, struct cell *c)
{
    int len = 0;
    const fdt32_t *v = fdt_getprop(s->fdt, node, "harts", &len);

    if (v == NULL) {
        diag_cell(s, c, "harts", "missing: the physical hart ids of the cell, e.g. <1 2>");
        return;
    }
    if (len == 0 || (len % 4) != 0) {
        diag_cell(s, c, "harts", "must be a non-empty list of 32-bit hart ids");
        return;
    }
    c->num_harts = (unsigned)len / 4U;
    c->harts = xcalloc(c->num_harts, sizeof(*c->harts));
    for (unsigned i = 0; i < c->num_harts; i++) {
        c->harts[i] = fdt32_to_cpu(v[i]);
    }
}

static void parse_u64(const struct sys *s, int node, struct cell *c, const char *prop, bool required, bool *has,
                      uint64_t *out)
{
    enum prop_status st = fdtr_u64(s->fdt, node, prop, out);
    *has = (st == PROP_OK);
    if (st == PROP_BAD) {
        diag_cell(s, c, prop, "must be a 64-bit number <hi lo>");
    } else if (st == PROP_MISSING && required) {
        diag_cell(s, c, prop, "missing: a 64-bit guest-physical address <hi lo>");
    }
}

static void parse_image(const struct sys *s, int node, struct cell *c)
{
    const char *v = NULL;
    enum prop_status st = fdtr_string(s->fdt, node, "image", &v);

    if (st == PROP_MISSING) {
        diag_cell(s, c, "image", "missing: the image name (file <image-dir>/NAME.bin)");
    } else if (st == PROP_BAD) {
        diag_cell(s, c, "image", "must be one string");
    } else if (v[0] == '\0' || v[0] == '.' || strchr(v, '/') != NULL) {
        diag_cell(s, c, "image", "\"%s\" must be a plain name, without '/' or a leading '.'", v);
    } else {
        c->image = xstrdup(v);
    }
}

/* A string property that must be one of `choices`; returns the index or -1. */
static int parse_choice(const struct sys *s, int node, struct cell *c, const char *prop, const char *const *choices,
                        int n)
{
    const char *v = NULL;
    enum prop_status st = fdtr_string(s->fdt, node, prop, &v);

    if (st == PROP_MISSING) {
        return -1;
    }
    for (int i = 0; st == PROP_OK && i < n; i++) {
        if (strcmp(v, choices[i]) == 0) {
            return i;
        }
    }
    diag_cell(s, c, prop, "%s%s%s is not one of \"%s\", \"%s\"", st == PROP_OK ? "\"" : "",
              st == PROP_OK ? v : "the value", st == PROP_OK ? "\"" : "", choices[0], choices[1]);
    return -1;
}

static void parse_strings(const struct sys *s, int node, struct cell *c)
{
    static const char *const consoles[] = {"ns16550", "sbi"};
    static const char *const policies[] = {"stop", "restart"};
    static const char *const irqchips[] = {"plic", "aia"};
    const void *fdt = s->fdt;
    const char *v = NULL;

    enum prop_status st = fdtr_string(fdt, node, "bootargs", &v);
    if (st == PROP_OK) {
        c->bootargs = xstrdup(v);
    } else if (st == PROP_BAD) {
        diag_cell(s, c, "bootargs", "must be one string");
    }
    c->console = (parse_choice(s, node, c, "console", consoles, 2) == 1) ? CONSOLE_SBI : CONSOLE_NS16550;
    c->irqchip = (parse_choice(s, node, c, "interrupt-controller", irqchips, 2) == 1) ? CELL_IRQ_AIA : CELL_IRQ_PLIC;
    int f = parse_choice(s, node, c, "fault-policy", policies, 2);
    if (f >= 0) {
        c->fault = (f == 1) ? FAULT_RESTART : FAULT_STOP;
        c->fault_set = true;
    }
    int n = fdtr_strings(fdt, node, "devices");
    if (n < 0) {
        diag_cell(s, c, "devices", "must be a list of strings (platform node names under /soc)");
        return;
    }
    c->num_devices = (unsigned)n;
    c->devices = xcalloc((size_t)n, sizeof(*c->devices));
    c->dev_index = xcalloc((size_t)n, sizeof(*c->dev_index));
    for (int i = 0; i < n; i++) {
        c->devices[i] = xstrdup(fdt_stringlist_get(fdt, node, "devices", i, NULL));
        c->dev_index[i] = -1;
    }
}

/*
 * dma: what the system accepts from the cell's bus-master devices. Only
 * "unconfined" exists: the device may DMA anywhere (no IOMMU confines it).
 * A confined mode joins it with IOMMU support; any other value is an error.
 */
static void parse_dma(const struct sys *s, int node, struct cell *c)
{
    const char *v = NULL;
    enum prop_status st = fdtr_string(s->fdt, node, "dma", &v);

    c->dma_set = (st != PROP_MISSING);
    if (st == PROP_OK && strcmp(v, "unconfined") == 0) {
        c->dma = DMA_UNCONFINED;
    } else if (st == PROP_OK) {
        diag_cell(s, c, "dma",
                  "\"%s\" is not \"unconfined\", the only value (confining DMA with an IOMMU "
                  "is not supported yet)",
                  v);
    } else if (st == PROP_BAD) {
        diag_cell(s, c, "dma", "must be one string: \"unconfined\"");
    } else {
        c->dma = DMA_NONE; /* absent: no bus master may be passed through */
    }
}

/* "rwx", "rw", "rx", "r": a subset of rwx, each letter once, r included. */
static bool parse_access(const char *v, uint32_t *out)
{
    uint32_t a = 0;
    for (const char *q = v; *q != '\0'; q++) {
        uint32_t bit = (*q == 'r') ? BH_ACCESS_R : (*q == 'w') ? BH_ACCESS_W : (*q == 'x') ? BH_ACCESS_X : 0U;
        if (bit == 0U || (a & bit) != 0U) {
            return false;
        }
        a |= bit;
    }
    *out = a;
    return (a & BH_ACCESS_R) != 0U;
}

static bool region_u64(const struct sys *s, struct cell *c, int node, const char *name, const char *prop, uint64_t *out)
{
    enum prop_status st = fdtr_u64(s->fdt, node, prop, out);
    if (st == PROP_OK) {
        return true;
    }
    char *where = xasprintf("%s/%s", name, prop);
    diag_cell(s, c, where, "%s",
              st == PROP_MISSING ? "missing: a 64-bit number <hi lo>" : "must be a 64-bit number <hi lo>");
    free(where);
    return false;
}

static void parse_region(const struct sys *s, struct cell *c, int node, struct region *r)
{
    const char *v = NULL;
    char *prefix = xasprintf("%s/", r->name);

    check_props(s, c, node, region_props, sizeof(region_props) / sizeof(region_props[0]), prefix);
    bool ok = region_u64(s, c, node, r->name, "guest-address", &r->guest);
    ok = region_u64(s, c, node, r->name, "host-address", &r->host) && ok;
    ok = region_u64(s, c, node, r->name, "size", &r->size) && ok;
    r->parsed = ok; /* placement known: boot checks can find the region */
    char *where = xasprintf("%saccess", prefix);
    enum prop_status st = fdtr_string(s->fdt, node, "access", &v);
    if (st == PROP_MISSING) {
        diag_cell(s, c, where, "missing: \"r\", \"rw\", \"rx\" or \"rwx\"");
        ok = false;
    } else if (st == PROP_BAD || !parse_access(v, &r->access)) {
        diag_cell(s, c, where, "%s%s%s is not a subset of \"rwx\" that includes 'r'", st == PROP_OK ? "\"" : "",
                  st == PROP_OK ? v : "the value", st == PROP_OK ? "\"" : "");
        ok = false;
    }
    r->valid = ok;
    free(where);
    free(prefix);
}

/* One hex field of at most 2 digits ended by `stop`; *p moves past it. */
static bool hex_field(const char **p, char stop, unsigned *out)
{
    unsigned v = 0;
    unsigned digits = 0;
    const char *q = *p;

    while (isxdigit((unsigned char)*q) && digits < 3U) {
        v = (v * 16U) + (unsigned)(isdigit((unsigned char)*q) ? (*q - '0') : (tolower((unsigned char)*q) - 'a' + 10));
        q++;
        digits++;
    }
    if (digits == 0U || digits > 2U || *q != stop) {
        return false;
    }
    *out = v;
    *p = (stop == '\0') ? q : q + 1;
    return true;
}

/* "<bus>,<device>,<function>" in hex. */
static bool parse_bdf(const char *text, unsigned *bus, unsigned *dev, unsigned *fn)
{
    const char *p = text;
    return hex_field(&p, ',', bus) && hex_field(&p, ',', dev) && hex_field(&p, '\0', fn);
}

/*
 * pci@<bus>,<device>,<function> (hex, as a PCI unit address): a PCI function
 * passed through behind the IOMMU, with bar-window = <base size>, the bridge
 * memory its BARs are placed in (docs/devices.md).
 */
static void parse_pci(const struct sys *s, struct cell *c, int node, struct pci_fn *f)
{
    static const char *const pci_props[] = {"bar-window"};
    unsigned bus = 0;
    unsigned dev = 0;
    unsigned fn = 0;
    int len = 0;
    char *prefix = xasprintf("%s/", f->node);
    const fdt32_t *w = fdt_getprop(s->fdt, node, "bar-window", &len);

    check_props(s, c, node, pci_props, sizeof(pci_props) / sizeof(pci_props[0]), prefix);
    bool ok = parse_bdf(f->node + sizeof("pci@") - 1U, &bus, &dev, &fn);
    if (!ok || bus > 255U || dev > 31U || fn > 7U) {
        diag_cell(s, c, f->node, "not pci@<bus>,<device>,<function> in hex (bus 0..ff, device 0..1f, function 0..7)");
        ok = false;
    }
    if (w == NULL || len != 16) {
        char *where = xasprintf("%sbar-window", prefix);
        diag_cell(s, c, where, "%s",
                  (w == NULL) ? "missing: <base size>, two 64-bit numbers" : "must be <base size>, two 64-bit numbers");
        free(where);
        ok = false;
    } else {
        f->window.base = fdtr_read_cells((const uint32_t *)w, 2U);
        f->window.size = fdtr_read_cells((const uint32_t *)w + 2, 2U);
    }
    f->bus = bus;
    f->dev = dev;
    f->fn = fn;
    f->valid = ok;
    free(prefix);
}

static void parse_regions(const struct sys *s, int node, struct cell *c)
{
    const void *fdt = s->fdt;
    int sub;
    unsigned n = 0;

    fdt_for_each_subnode(sub, fdt, node)
    {
        n++;
    }
    c->regions = xcalloc(n, sizeof(*c->regions));
    c->pci = xcalloc(n, sizeof(*c->pci));
    unsigned i = 0;
    fdt_for_each_subnode(sub, fdt, node)
    {
        const char *name = fdt_get_name(fdt, sub, NULL);
        if (strncmp(name, "pci@", sizeof("pci@") - 1U) == 0) {
            struct pci_fn *f = &c->pci[c->num_pci++];
            f->node = xstrdup(name);
            parse_pci(s, c, sub, f);
            continue;
        }
        if (strcmp(name, "memory") != 0 && strncmp(name, "memory@", sizeof("memory@") - 1U) != 0) {
            diag_cell(s, c, name,
                      "unknown node (RAM regions are named memory@<guest-address>, PCI functions "
                      "pci@<bus>,<device>,<function>)");
            continue;
        }
        struct region *r = &c->regions[i++];
        r->name = xstrdup(name);
        parse_region(s, c, sub, r);
    }
    c->num_regions = i;
    if (i == 0U) {
        diag_cell(s, c, "memory", "no RAM region: add a memory@<guest-address> node");
    }
}

void sysconf_parse_cell(const struct sys *s, int node, struct cell *c)
{
    c->name = xstrdup(fdt_get_name(s->fdt, node, NULL));
    c->ident = sysconf_ident(c->name);
    check_props(s, c, node, cell_props, sizeof(cell_props) / sizeof(cell_props[0]), "");
    parse_harts(s, node, c);
    parse_image(s, node, c);
    parse_u64(s, node, c, "image-address", true, &c->has_image_address, &c->image_address);
    parse_u64(s, node, c, "entry", false, &c->has_entry, &c->entry);
    if (!c->has_entry && c->has_image_address) {
        c->entry = c->image_address; /* default: the first byte of the image */
    }
    parse_u64(s, node, c, "dtb-address", false, &c->has_dtb_address, &c->dtb_address);
    parse_u64(s, node, c, "doorbell-address", false, &c->has_doorbell, &c->doorbell);
    parse_strings(s, node, c);
    parse_dma(s, node, c);
    parse_regions(s, node, c);
}
