/* SPDX-License-Identifier: Apache-2.0 */
#include "platform.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dtc.h"
#include "fdt_read.h"
#include "util.h"

/* "dts/qemu-virt.dts" -> "qemu-virt": the name a system config refers to. */
static char *platform_name(const char *file)
{
    const char *base = strrchr(file, '/');
    base = (base != NULL) ? base + 1 : file;
    size_t n = strlen(base);
    if (n > 4U && strcmp(base + n - 4U, ".dts") == 0) {
        n -= 4U;
    }
    return xstrndup(base, n);
}

static bool is_okay(const void *fdt, int node)
{
    const char *status = NULL;
    if (fdtr_string(fdt, node, "status", &status) != PROP_OK) {
        return true; /* DT spec 2.3.4: absent status means "okay" */
    }
    return strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0;
}

static bool parse_cpus(struct platform *p)
{
    const void *fdt = p->fdt;
    int cpus = fdt_path_offset(fdt, "/cpus");
    int node;

    if (cpus < 0) {
        diag_at(p->file, "/cpus", "node", "missing");
        return false;
    }
    uint32_t tb32 = 0;
    if (fdtr_u64(fdt, cpus, "timebase-frequency", &p->timebase) != PROP_OK) {
        if (fdtr_u32(fdt, cpus, "timebase-frequency", &tb32) != PROP_OK) {
            diag_at(p->file, "/cpus", "timebase-frequency", "missing or malformed");
            return false;
        }
        p->timebase = tb32;
    }
    unsigned n = 0;
    fdt_for_each_subnode(node, fdt, cpus)
    {
        n++;
    }
    p->harts = xcalloc(n, sizeof(*p->harts));
    fdt_for_each_subnode(node, fdt, cpus)
    {
        const char *type = NULL;
        uint32_t id = 0;
        if (fdtr_string(fdt, node, "device_type", &type) != PROP_OK || strcmp(type, "cpu") != 0 ||
            !is_okay(fdt, node)) {
            continue; /* cpu-map and disabled harts */
        }
        if (fdtr_u32(fdt, node, "reg", &id) != PROP_OK) {
            diag_at(p->file, fdt_get_name(fdt, node, NULL), "reg", "missing or not one 32-bit hart id");
            return false;
        }
        if (id >= BH_HART_ID_LIMIT) {
            diag_at(p->file, fdt_get_name(fdt, node, NULL), "reg",
                    "hart id 0x%x (%u) is not below %u, the hypervisor's hart id limit", id, id, BH_HART_ID_LIMIT);
            return false;
        }
        if (fdt_getprop(fdt, node, "riscv,isa-extensions", NULL) == NULL) {
            diag_at(p->file, fdt_get_name(fdt, node, NULL), "riscv,isa-extensions",
                    "missing (needed for the guest device trees)");
            return false;
        }
        p->harts[p->num_harts].id = id;
        p->harts[p->num_harts].offset = node;
        p->num_harts++;
        if (id + 1U > p->hart_limit) {
            p->hart_limit = id + 1U;
        }
    }
    if (p->num_harts == 0U) {
        diag_at(p->file, "/cpus", "cpu", "no usable hart");
        return false;
    }
    return true;
}

/* Exactly one RAM range: BH_RAM_BASE/BH_RAM_SIZE describe one. */
static bool parse_memory(struct platform *p)
{
    const void *fdt = p->fdt;
    int node;
    unsigned found = 0;

    fdt_for_each_subnode(node, fdt, 0)
    {
        const char *type = NULL;
        if (fdtr_string(fdt, node, "device_type", &type) != PROP_OK || strcmp(type, "memory") != 0) {
            continue;
        }
        struct range *r = NULL;
        int n = fdtr_reg(fdt, node, &r);
        if (n < 0) {
            diag_at(p->file, fdt_get_name(fdt, node, NULL), "reg", "malformed");
            return false;
        }
        for (int i = 0; i < n; i++) {
            p->ram = r[i];
            found++;
        }
        free(r);
    }
    if (found != 1U) {
        diag_at(p->file, "/", "memory", "%u RAM ranges; exactly one is supported", found);
        return false;
    }
    return true;
}

/* How many harts the firmware can bring up, where the platform says it
 * (tools/mkplatform.py writes it for the firmware it chose; docs/limits.md). */
static bool parse_firmware_max_harts(struct platform *p, int node)
{
    enum prop_status st = fdtr_u32(p->fdt, node, "bulkhead,max-harts", &p->firmware_max_harts);

    if ((st == PROP_BAD) || ((st == PROP_OK) && (p->firmware_max_harts == 0U))) {
        diag_at(p->file, p->firmware_path, "bulkhead,max-harts", "must be one cell, a hart count of at least 1");
        return false;
    }
    if (st == PROP_MISSING) {
        p->firmware_max_harts = 0U;
    }
    return true;
}

/* The firmware (OpenSBI) range is the one reserved-memory child. */
static bool parse_firmware(struct platform *p)
{
    const void *fdt = p->fdt;
    int rm = fdt_path_offset(fdt, "/reserved-memory");
    unsigned found = 0;

    if (rm >= 0) {
        int node;
        fdt_for_each_subnode(node, fdt, rm)
        {
            struct range *r = NULL;
            int n = fdtr_reg(fdt, node, &r);
            if (n == 1) {
                p->firmware = r[0];
                free(p->firmware_path);
                p->firmware_path = xasprintf("/reserved-memory/%s", fdt_get_name(fdt, node, NULL));
                found++;
                if (!parse_firmware_max_harts(p, node)) {
                    free(r);
                    return false;
                }
            } else {
                found += 2U;
            }
            free(r);
        }
    }
    if (found != 1U) {
        diag_at(p->file, "/reserved-memory", "reg", "exactly one reserved range (the firmware's) is supported");
        return false;
    }
    return true;
}

/* A PLIC, or else the AIA: which one decides the hypervisor's interrupt driver. */
static bool parse_irqchip(struct platform *p)
{
    const void *fdt = p->fdt;
    int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,plic0");

    if ((node < 0) && (fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0") < 0) &&
        (fdt_node_offset_by_compatible(fdt, -1, "riscv,imsics") >= 0)) {
        return platform_parse_aia(p);
    }

    if (node < 0) {
        node = fdt_node_offset_by_compatible(fdt, -1, "sifive,plic-1.0.0");
    }
    if (node < 0) {
        diag_at(p->file, "/soc", "plic", "no PLIC (compatible \"riscv,plic0\") and no IMSIC found");
        return false;
    }
    const char *name = fdt_get_name(fdt, node, NULL);
    struct range *r = NULL;
    if (fdtr_reg(fdt, node, &r) != 1) {
        free(r);
        diag_at(p->file, name, "reg", "expected one range");
        return false;
    }
    p->plic = r[0];
    free(r);
    if (fdtr_u32(fdt, node, "riscv,ndev", &p->plic_ndev) != PROP_OK || p->plic_ndev == 0U || p->plic_ndev > 1023U) {
        diag_at(p->file, name, "riscv,ndev", "missing or not in 1..1023");
        return false;
    }
    p->intc_phandle = fdt_get_phandle(fdt, node);
    p->intc_cells = 1U;
    return true;
}

bool platform_parse(const char *file, void *fdt, struct platform *p)
{
    memset(p, 0, sizeof(*p));
    p->file = file;
    p->fdt = fdt;
    p->name = platform_name(file);
    p->uart_dev = -1;
    p->compatible = fdt_getprop(fdt, 0, "compatible", &p->compatible_len);
    if (fdtr_string(fdt, 0, "model", &p->model) != PROP_OK) {
        p->model = p->name;
    }
    if (p->compatible == NULL) {
        diag_at(file, "/", "compatible", "missing");
        return false;
    }
    if (fdtr_address_cells(fdt, 0) != 2U || fdtr_size_cells(fdt, 0) != 2U) {
        diag_at(file, "/", "#address-cells", "the root must use 2 address and 2 size cells");
        return false;
    }
    return parse_cpus(p) && parse_memory(p) && parse_firmware(p) && parse_irqchip(p) && platform_parse_devices(p) &&
           platform_parse_sswi(p) && platform_parse_pci(p);
}

bool platform_load(const char *file, struct platform *p)
{
    size_t size = 0;
    void *fdt = dtc_compile(file, &size);
    if (fdt == NULL) {
        memset(p, 0, sizeof(*p));
        return false;
    }
    return platform_parse(file, fdt, p);
}

void platform_free(struct platform *p)
{
    for (unsigned i = 0; i < p->num_devs; i++) {
        free(p->devs[i].name);
        free(p->devs[i].path);
        free(p->devs[i].regs);
        free(p->devs[i].irqs);
    }
    for (unsigned i = 0; i < p->num_mmio; i++) {
        free(p->mmio[i].path);
    }
    free(p->devs);
    free(p->mmio);
    free(p->harts);
    free(p->name);
    free(p->firmware_path);
    free(p->fdt);
    memset(p, 0, sizeof(*p));
}

int platform_find_dev(const struct platform *p, const char *name)
{
    for (unsigned i = 0; i < p->num_devs; i++) {
        if (strcmp(p->devs[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int platform_find_hart(const struct platform *p, uint32_t id)
{
    for (unsigned i = 0; i < p->num_harts; i++) {
        if (p->harts[i].id == id) {
            return (int)i;
        }
    }
    return -1;
}
