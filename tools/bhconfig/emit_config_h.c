/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen/config.h: platform and system constants for C, assembly and the
 * linker script (the Makefile preprocesses src/arch/riscv/bulkhead.ld.in with
 * `gcc -E -x c`, so no C-only syntax: plain numbers without U/ULL suffixes).
 * An address above 2^31 is therefore an `unsigned int` in C: code that adds
 * two of them casts to uint64_t first (as src/arch/riscv/mmu.c does).
 */
#include "channel.h"
#include "emit.h"
#include "validate.h"

static void def64(struct sbuf *b, const char *name, uint64_t v)
{
    sbuf_printf(b, "#define %-20s 0x%llx\n", name, (unsigned long long)v);
}

static void def32(struct sbuf *b, const char *name, uint64_t v)
{
    sbuf_printf(b, "#define %-20s %llu\n", name, (unsigned long long)v);
}

void emit_config_h(const struct emit_ctx *e, struct sbuf *b)
{
    const struct platform *p = e->p;
    const struct sys *s = e->s;
    const struct plat_dev *uart = &p->devs[p->uart_dev];

    emit_header_comment(e, b, "/*", " *", " */", "System constants of this build.");
    sbuf_puts(b, "#ifndef BH_GEN_CONFIG_H\n#define BH_GEN_CONFIG_H\n\n");
    sbuf_puts(b, "#ifndef BH_SYSTEM_NAME /* the Makefile may name the build instead */\n#define BH_SYSTEM_NAME       ");
    emit_c_string(b, s->model);
    sbuf_puts(b, "\n#endif\n\n/* cells and table limits (CONFIG_MAX_*) */\n");
    def32(b, "BH_NUM_CELLS", s->num_cells);
    def32(b, "BH_NUM_HARTS", p->hart_limit);
    def32(b, "BH_MAX_CELL_HARTS", e->k->max_cell_harts);
    def32(b, "BH_MAX_CELL_REGIONS", e->k->max_regions);
    def32(b, "BH_MAX_CELL_DEVICES", e->k->max_devices);
    def32(b, "BH_MAX_CELL_IRQS", e->k->max_irqs);
    def32(b, "BH_CONSOLE_HART", emit_console_hart(s, e->p));
    sbuf_puts(b, "\n/* shared-memory channels (docs/shmem.md); table sizes are at least 1 */\n");
    unsigned max_slots = 1U;
    unsigned max_members = 1U;
    for (unsigned i = 0; i < s->num_cells; i++) {
        unsigned n = channel_slots_of(s, i);
        max_slots = (n > max_slots) ? n : max_slots;
    }
    for (unsigned i = 0; i < s->num_channels; i++) {
        max_members = (s->channels[i].num_members > max_members) ? s->channels[i].num_members : max_members;
    }
    def32(b, "BH_NUM_CHANNELS", s->num_channels);
    def32(b, "BH_CHANNEL_TABLE_SIZE", (s->num_channels > 0U) ? s->num_channels : 1U);
    def32(b, "BH_MAX_CELL_CHANNELS", max_slots);
    def32(b, "BH_MAX_CHANNEL_MEMBERS", max_members);
    sbuf_puts(b, "\n/* hypervisor region; the G-stage tables are linked at BH_GSTAGE_BASE */\n");
    def64(b, "BH_HYP_BASE", s->hyp.base);
    def64(b, "BH_HYP_SIZE", s->hyp.size);
    def64(b, "BH_HYP_CODE_SIZE", e->l->code_size);
    def32(b, "BH_NUM_STACK_SLOTS", e->l->num_stack_slots);
    def64(b, "BH_GSTAGE_BASE", e->l->gstage_base);
    def32(b, "BH_GSTAGE_PAGES", e->t->num_pages);
    sbuf_puts(b, "\n/* platform */\n");
    def64(b, "BH_RAM_BASE", p->ram.base);
    def64(b, "BH_RAM_SIZE", p->ram.size);
    def64(b, "BH_FIRMWARE_BASE", p->firmware.base);
    def64(b, "BH_FIRMWARE_SIZE", p->firmware.size);
    def64(b, "BH_UART_BASE", uart->regs[0].base);
    def32(b, "BH_UART_IRQ", uart->irqs[0]);
    if (p->irqchip == IRQCHIP_AIA) {
        /* No PLIC: src/drivers/aplic.c and imsic.c are built instead of plic.c (Makefile). */
        def64(b, "BH_APLIC_BASE", p->aplic.base);
        def64(b, "BH_IMSIC_BASE", p->imsic.base);
        def32(b, "BH_IMSIC_GUEST_BITS", p->imsic_guest_bits);
        def32(b, "BH_IMSIC_IDS", p->imsic_ids);
    } else {
        def64(b, "BH_PLIC_BASE", p->plic.base);
    }
    /* The virtual PLIC's range (the physical PLIC's, or where QEMU would put it) and its sources. */
    def64(b, "BH_PLIC_SIZE", p->plic.size);
    sbuf_puts(b, "/* the IOMMU and the PCIe host bridge behind it (docs/devices.md); 0: the platform has none */\n");
    def64(b, "BH_IOMMU_BASE", p->has_iommu ? p->iommu.base : 0U);
    def32(b, "BH_IOMMU_IRQ", p->has_iommu ? p->iommu_irq : 0U);
    def64(b, "BH_PCI_ECAM_BASE", p->has_iommu ? p->ecam.base : 0U);
    def64(b, "BH_PCI_ECAM_SIZE", p->has_iommu ? p->ecam.size : 0U);
    def32(b, "BH_MAX_CELL_PCI", PCI_MAX_CELL_FUNCTIONS);
    unsigned contexts = 0;
    for (unsigned i = 0; i < s->num_cells; i++) {
        contexts += s->cells[i].num_pci;
    }
    def32(b, "BH_NUM_IOMMU_CONTEXTS", contexts);
    def32(b, "BH_IOMMU_CONTEXT_TABLE_SIZE", (contexts > 0U) ? contexts : 1U);
    def32(b, "BH_PLIC_NDEV", p->plic_ndev);
    sbuf_printf(b, "#define %-20s %llu /* Hz */\n", "BH_TIMEBASE_FREQ", (unsigned long long)p->timebase);
    sbuf_puts(b, "\n#endif /* BH_GEN_CONFIG_H */\n");
}
