/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Boot: the OpenSBI boot hart sets up what is shared, starts every other
 * hart of a cell, and each hart then prepares itself and enters its vCPU
 * (virtual hart 0 of a cell) or waits for SBI hart_start (the others).
 */
#include "arch/cpu.h"
#include "arch/hart_stack.h"
#include "arch/isa_check.h"
#include "arch/layout.h"
#include "arch/sbi_firmware.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"
#include "bulkhead/hart.h"
#include "bulkhead/hostirq.h"
#include "bulkhead/irq.h"
#include "bulkhead/log.h"
#include "bulkhead/pci.h"
#include "bulkhead/mmu.h"
#include <stddef.h>

void bh_main(uint64_t hartid) __attribute__((noreturn));
void bh_secondary_main(uint64_t hartid) __attribute__((noreturn));
/* What the boot hart sets up before any other hart starts (also an entry of `make prove`'s harness). */
void bh_boot_setup(uint64_t hartid);

/* Where a linker or head.S symbol is (identity map: physical = virtual). */
static uint64_t address_of(const char *sym)
{
    return (uint64_t)(uintptr_t)sym;
}

/* Top of the hart's hypervisor stack (hart_stack.h: a guard page, then the stack; the slot as head.S chose it). */
static uint64_t stack_top(uint32_t hartid)
{
    return address_of(&bh_stacks) + (((uint64_t)bh_hart_stack_slot[hartid] + 1U) * BH_STACK_SLOT_SIZE);
}

static void hart_enter_world(uint32_t hartid) __attribute__((noreturn));
static void hart_enter_world(uint32_t hartid)
{
    struct bh_hart *h = &bh_hart_state[hartid];

    arch_set_this_hart(h);
    if (bh_hart_arrive(h) == 0U) {
        /* Its cell has failed, or runs without it, since the boot hart gave up on it (start_hart). */
        bh_error("hart %u: arrived after the boot hart gave up waiting for it (CONFIG_HART_ARRIVAL_MS); it stays "
                 "halted, out of any cell",
                 (unsigned)hartid);
        arch_halt();
    }
    const char *missing = arch_missing_feature(h);
    if (missing != NULL) {
        bh_error("hart %u: cannot run cells: this CPU lacks %s", (unsigned)hartid, missing);
        arch_halt();
    }
    bh_mmu_enable();
    arch_hart_init(h);
    hostirq_init_local(hartid);
    bh_irq_init_hart(h);
    if (h->cell == BH_NO_CELL) {
        if (hartid == BH_CONSOLE_HART) {
            bh_info("hart %u: in no cell, serves the console", (unsigned)hartid);
            arch_park(h);
        }
        arch_halt();
    }
    if (h->vhart == 0U) {
        bh_cell_load(h->cell);
        bh_cell_boot(h);
    }
    arch_park(h);
}

/*
 * Starts one hart through the firmware (SBI HSM hart_start) and gives it
 * CONFIG_HART_ARRIVAL_MS to arrive before the next is started. A firmware can
 * accept a start and still fail to bring the hart up (Debian's OpenSBI 1.5.1
 * as it is runs out of heap beyond 59 harts of QEMU virt; the big platforms
 * run it with a larger heap: docs/limits.md): one at a time, the same harts
 * fail on every boot, and each is named with its cell.
 */
static void start_hart(uint32_t i)
{
    long err = sbi_fw_hart_start(i, address_of(&bh_secondary_start), 0);
    if (err != 0) {
        bh_error("hart %u: firmware refused to start it (SBI error %ld)", (unsigned)i, err);
        return;
    }
    uint64_t deadline = arch_time_now() + (((uint64_t)CONFIG_HART_ARRIVAL_MS * BH_TIMEBASE_FREQ) / 1000U);
    if (bh_hart_wait_arrived(i, deadline) != 0U) {
        return;
    }
    if ((bh_harts[i].cell != BH_NO_CELL) && (bh_harts[i].vhart == 0U)) {
        bh_cell_mark_failed(bh_harts[i].cell);
        bh_error("hart %u: never reached the hypervisor within %u ms of its start by the firmware; cell %s "
                 "cannot run on it and has failed (the firmware failed to bring it up: docs/limits.md)",
                 (unsigned)i, (unsigned)CONFIG_HART_ARRIVAL_MS, bh_cells[bh_harts[i].cell].name);
    } else if (bh_harts[i].cell != BH_NO_CELL) {
        bh_error("hart %u: never reached the hypervisor within %u ms of its start by the firmware; cell %s "
                 "runs without it, and SBI hart_start of its virtual hart %u fails (docs/limits.md)",
                 (unsigned)i, (unsigned)CONFIG_HART_ARRIVAL_MS, bh_cells[bh_harts[i].cell].name,
                 (unsigned)bh_harts[i].vhart);
    } else {
        bh_error("hart %u: never reached the hypervisor within %u ms of its start by the firmware; the "
                 "console's receive interrupt has no hart while a direct-mode cell has the focus",
                 (unsigned)i, (unsigned)CONFIG_HART_ARRIVAL_MS);
    }
}

void bh_boot_setup(uint64_t hartid)
{
    bh_console_init();
    bh_info("Bulkhead %s: %u harts, %u cells, boot hart %u", BH_SYSTEM_NAME, (unsigned)BH_NUM_HARTS,
            (unsigned)BH_NUM_CELLS, (unsigned)hartid);
    bh_info("hypervisor 0x%lx-0x%lx (code 0x%lx-0x%lx, read-only to 0x%lx)", (uint64_t)BH_HYP_BASE,
            address_of(&bh_hyp_end), address_of(&bh_text_start), address_of(&bh_text_end), address_of(&bh_rodata_end));
    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {
        bh_hart_init(i, stack_top(i));
    }
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        bh_cell_init(c);
        bh_info("cell %s: %u hart(s) from hart %u, entry 0x%lx", bh_cells[c].name, (unsigned)bh_cells[c].num_harts,
                (unsigned)bh_cells[c].harts[0], bh_cells[c].entry);
        if (bh_cells[c].dma_unconfined != 0U) {
            /* No IOMMU: the G-stage does not bind its devices (docs/config.md, "DMA"). */
            bh_warn("cell %s: device(s) can DMA anywhere (dma = \"unconfined\")", bh_cells[c].name);
        }
    }
    bh_mmu_build();
    bh_console_route_init();
    bh_irq_init_platform();
    bh_pci_init();
}

void bh_main(uint64_t hartid)
{
    bh_boot_setup(hartid);
    /* make prove: each hart id apart, so that a hart in no cell is never taken for a cell's (proof.md) */
    /*@ loop unroll BH_NUM_HARTS; */
    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {
        if ((i != hartid) && ((bh_harts[i].cell != BH_NO_CELL) || (i == BH_CONSOLE_HART))) {
            start_hart(i);
        }
    }
    hart_enter_world((uint32_t)hartid);
}

void bh_secondary_main(uint64_t hartid)
{
    hart_enter_world((uint32_t)hartid);
}
