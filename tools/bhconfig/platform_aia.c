/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Advanced Interrupt Architecture of a platform without a PLIC (RISC-V
 * AIA spec v1.0; QEMU -M virt,aia=aplic-imsic): per hart an IMSIC with a
 * supervisor interrupt file and 2^guest-index-bits - 1 guest interrupt files
 * (ch. 3), and an APLIC whose supervisor-level domain turns wired device
 * interrupts into MSIs to those files (ch. 4). The hypervisor receives in its
 * harts' supervisor files; a cell with interrupt-controller = "aia" gets a
 * guest file per virtual hart.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "diag.h"
#include "fdt_read.h"
#include "platform.h"

#define IMSIC_FILE_SIZE   0x1000ULL /* one 4 KiB page per interrupt file (AIA spec 3.6) */
#define IRQ_S_EXTERNAL    9U        /* supervisor external interrupt, the cause an S-level file raises */
#define IMSIC_MIN_IDS     63U       /* AIA spec 3.1: 63..2047, a multiple of 64 minus 1 */
#define IMSIC_MAX_IDS     2047U
#define IMSIC_MAX_GUESTS  7U    /* guest-index-bits <= 3: QEMU virt has at most 7 guest files */
#define APLIC_MAX_SOURCES 1023U /* AIA spec 4.5.2: sourcecfg[1..1023] */

/* The IMSIC whose files raise supervisor external interrupts: <cpu-intc 9> pairs. */
static int find_s_imsic(const void *fdt)
{
    int node = fdt_node_offset_by_compatible(fdt, -1, "riscv,imsics");

    while (node >= 0) {
        int len = 0;
        const fdt32_t *ext = fdt_getprop(fdt, node, "interrupts-extended", &len);
        if ((ext != NULL) && (len >= 8) && (fdt32_to_cpu(ext[1]) == IRQ_S_EXTERNAL)) {
            return node;
        }
        node = fdt_node_offset_by_compatible(fdt, node, "riscv,imsics");
    }
    return -1;
}

/*
 * File i of the region is the i-th interrupts-extended entry's hart, 2^guest-index-bits
 * pages each (AIA spec 3.6, one group, no hart-index-bits): that is also the hart
 * index an APLIC MSI target names (4.5.16), which the hypervisor takes to be the hart id.
 */
static bool parse_imsic_files(struct platform *p, int node, const char *name)
{
    int len = 0;
    const fdt32_t *ext = fdt_getprop(p->fdt, node, "interrupts-extended", &len);
    uint64_t stride = IMSIC_FILE_SIZE << p->imsic_guest_bits;

    for (int i = 0; i < (len / 8); i++) {
        int64_t id = fdtr_hart_of_intc(p->fdt, fdt32_to_cpu(ext[(size_t)i * 2U]));
        int h = (id >= 0) ? platform_find_hart(p, (uint32_t)id) : -1;
        if ((fdt32_to_cpu(ext[((size_t)i * 2U) + 1U]) != IRQ_S_EXTERNAL) || (id != (int64_t)i)) {
            diag_at(p->file, name, "interrupts-extended",
                    "entry %d is not <cpu-intc 9> of hart %d: the hypervisor names MSI targets by hart id", i, i);
            return false;
        }
        if ((uint64_t)(i + 1) * stride > p->imsic.size) {
            diag_at(p->file, name, "reg", "0x%llx bytes hold no interrupt files of hart %d (%llu bytes each)",
                    (unsigned long long)p->imsic.size, i, (unsigned long long)stride);
            return false;
        }
        if (h >= 0) {
            p->harts[h].imsic = p->imsic.base + ((uint64_t)i * stride);
        }
    }
    for (unsigned h = 0; h < p->num_harts; h++) {
        if (p->harts[h].imsic == 0U) {
            diag_at(p->file, name, "interrupts-extended", "hart %u has no supervisor interrupt file", p->harts[h].id);
            return false;
        }
    }
    return true;
}

static bool parse_imsic(struct platform *p, int node)
{
    const char *name = fdt_get_name(p->fdt, node, NULL);
    struct range *r = NULL;
    int n = fdtr_reg(p->fdt, node, &r);

    if (n != 1) {
        free(r);
        diag_at(p->file, name, "reg", "expected one range (one group of interrupt files)");
        return false;
    }
    p->imsic = r[0];
    free(r);
    if ((fdt_getprop(p->fdt, node, "riscv,hart-index-bits", NULL) != NULL) ||
        (fdt_getprop(p->fdt, node, "riscv,group-index-bits", NULL) != NULL)) {
        diag_at(p->file, name, "riscv,hart-index-bits", "not supported: files must follow each other by hart");
        return false;
    }
    if ((fdtr_u32(p->fdt, node, "riscv,num-ids", &p->imsic_ids) != PROP_OK) || (p->imsic_ids < IMSIC_MIN_IDS) ||
        (p->imsic_ids > IMSIC_MAX_IDS) || (((p->imsic_ids + 1U) % 64U) != 0U)) {
        diag_at(p->file, name, "riscv,num-ids", "missing or not 63..2047, a multiple of 64 minus 1 (AIA spec 3.1)");
        return false;
    }
    enum prop_status st = fdtr_u32(p->fdt, node, "riscv,guest-index-bits", &p->imsic_guest_bits);
    if ((st == PROP_BAD) || (p->imsic_guest_bits > 3U)) {
        diag_at(p->file, name, "riscv,guest-index-bits", "%u is not 0..3 (at most %u guest interrupt files)",
                p->imsic_guest_bits, IMSIC_MAX_GUESTS);
        return false;
    }
    return parse_imsic_files(p, node, name);
}

/* The APLIC domain that sends its MSIs to the supervisor-level files. */
static bool parse_aplic(struct platform *p, uint32_t imsic_phandle)
{
    int node = fdt_node_offset_by_compatible(p->fdt, -1, "riscv,aplic");
    uint32_t parent = 0;

    while ((node >= 0) && ((fdtr_u32(p->fdt, node, "msi-parent", &parent) != PROP_OK) || (parent != imsic_phandle))) {
        node = fdt_node_offset_by_compatible(p->fdt, node, "riscv,aplic");
    }
    if (node < 0) {
        diag_at(p->file, "/soc", "aplic",
                "no APLIC (compatible \"riscv,aplic\") in MSI mode whose msi-parent is the supervisor IMSIC");
        return false;
    }
    const char *name = fdt_get_name(p->fdt, node, NULL);
    struct range *r = NULL;
    if (fdtr_reg(p->fdt, node, &r) != 1) {
        free(r);
        diag_at(p->file, name, "reg", "expected one range");
        return false;
    }
    p->aplic = r[0];
    free(r);
    if ((fdtr_u32(p->fdt, node, "riscv,num-sources", &p->plic_ndev) != PROP_OK) || (p->plic_ndev == 0U) ||
        (p->plic_ndev > APLIC_MAX_SOURCES) || (p->plic_ndev > p->imsic_ids)) {
        diag_at(p->file, name, "riscv,num-sources",
                "missing or not 1..1023 and at most the IMSIC's riscv,num-ids (%u): source s is sent as identity s",
                p->imsic_ids);
        return false;
    }
    if ((fdtr_u32(p->fdt, node, "#interrupt-cells", &p->intc_cells) != PROP_OK) || (p->intc_cells != 2U)) {
        diag_at(p->file, name, "#interrupt-cells", "must be 2 (source, trigger type)");
        return false;
    }
    p->intc_phandle = fdt_get_phandle(p->fdt, node);
    return true;
}

/*
 * Where a PLIC-only cell finds its virtual PLIC on this platform: where QEMU
 * virt puts its PLIC without AIA, with one M and one S context per hart.
 */
#define VPLIC_BASE         0x0c000000ULL
#define VPLIC_CONTEXTS     0x200000ULL
#define VPLIC_CONTEXT_SIZE 0x1000ULL

bool platform_parse_aia(struct platform *p)
{
    int node = find_s_imsic(p->fdt);

    if (node < 0) {
        diag_at(p->file, "/soc", "imsics", "no supervisor-level IMSIC (\"riscv,imsics\" with <cpu-intc 9> entries)");
        return false;
    }
    p->irqchip = IRQCHIP_AIA;
    if (!parse_imsic(p, node) || !parse_aplic(p, fdt_get_phandle(p->fdt, node))) {
        return false;
    }
    p->plic.base = VPLIC_BASE;
    p->plic.size = VPLIC_CONTEXTS + ((uint64_t)p->hart_limit * 2U * VPLIC_CONTEXT_SIZE);
    return true;
}
