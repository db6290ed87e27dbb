/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's own Sv39 address space (priv spec 10.3), identity-mapped:
 * its code read-execute, read-only data read-only, data read-write, a guard
 * page under every hart stack, the firmware not at all, MMIO and the rest of
 * RAM (cell memory and pristine images) read-write without execute. Built
 * once by the boot hart into fixed-size static tables; no allocator.
 */
#include "arch/csr.h"
#include "arch/hart_stack.h"
#include "arch/layout.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"
#include "bulkhead/mmu.h"
#include "config.h"
#include "autoconf.h"

#define PAGE_SIZE 0x1000UL
#define MEGA_SIZE 0x200000UL
#define GIGA_SIZE 0x40000000UL

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

/* The generated constants are plain numbers: widen before any arithmetic. */
#define RAM_BASE      ((uint64_t)BH_RAM_BASE)
#define RAM_END       ((uint64_t)BH_RAM_BASE + (uint64_t)BH_RAM_SIZE)
#define FIRMWARE_BASE ((uint64_t)BH_FIRMWARE_BASE)
#define FIRMWARE_END  ((uint64_t)BH_FIRMWARE_BASE + (uint64_t)BH_FIRMWARE_SIZE)
#define RAM_GIGAS     (((uint64_t)BH_RAM_SIZE + GIGA_SIZE - 1UL) / GIGA_SIZE)
/* The code region (code, data, stacks) is mapped page by page; BH_HYP_CODE_SIZE is a 2 MiB multiple. */
#define HYP_BASE   ((uint64_t)BH_HYP_BASE)
#define CODE_END   ((uint64_t)BH_HYP_BASE + (uint64_t)BH_HYP_CODE_SIZE)
#define CODE_MEGAS ((uint64_t)BH_HYP_CODE_SIZE / MEGA_SIZE)

_Static_assert((RAM_BASE % GIGA_SIZE) == 0UL, "platform RAM must start on a 1 GiB boundary");
_Static_assert((BH_HYP_BASE % MEGA_SIZE) == 0UL, "hypervisor base must be 2 MiB aligned");
_Static_assert(((BH_HYP_CODE_SIZE % MEGA_SIZE) == 0UL) && (BH_HYP_CODE_SIZE > 0UL),
               "the code region is a non-zero multiple of 2 MiB");
/* The interrupt controller's driver (plic.c, aplic.c) asserts the same of its registers. */
_Static_assert(BH_UART_BASE < GIGA_SIZE, "MMIO is mapped as the first gigapage");

static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t ram_l1[RAM_GIGAS][512] __attribute__((aligned(4096)));

/* The physical address of a linker symbol (identity map: physical = virtual). */
static uint64_t phys(const char *sym)
{
    return (uint64_t)(uintptr_t)sym;
}

static uint64_t leaf(uint64_t pa, uint64_t rights)
{
    uint64_t dirty = 0UL;

    if ((rights & PTE_W) != 0UL) {
        dirty = PTE_D;
    }
    return ((pa >> 12) << 10) | rights | PTE_V | PTE_A | PTE_G | dirty;
}

static uint64_t table(const uint64_t *next)
{
    return (((uint64_t)(uintptr_t)next >> 12) << 10) | PTE_V;
}

static int is_guard_page(uint64_t pa)
{
    uint64_t start = phys(&bh_stacks);
    uint64_t slot = BH_STACK_SLOT_SIZE;

    if ((pa < start) || (pa >= phys(&bh_stacks_end))) {
        return 0;
    }
    return (((pa - start) % slot) == 0UL) ? 1 : 0;
}

static uint64_t hyp_page_rights(uint64_t pa)
{
    if ((pa >= phys(&bh_text_start)) && (pa < phys(&bh_text_end))) {
        return PTE_R | PTE_X;
    }
    if ((pa >= phys(&bh_rodata_start)) && (pa < phys(&bh_rodata_end))) {
        return PTE_R;
    }
    if ((pa >= phys(&bh_data_start)) && (pa < phys(&bh_hyp_low_end)) && (is_guard_page(pa) == 0)) {
        return PTE_R | PTE_W;
    }
    return 0; /* guard pages and the unused rest of the code region */
}

static int overlaps_firmware(uint64_t pa, uint64_t size)
{
    return ((pa < FIRMWARE_END) && (FIRMWARE_BASE < (pa + size))) ? 1 : 0;
}

void bh_mmu_build(void)
{
    static uint64_t hyp_l0[CODE_MEGAS][512] __attribute__((aligned(4096)));

    root[0] = leaf(0, PTE_R | PTE_W);
    for (uint64_t g = 0; g < RAM_GIGAS; g++) {
        uint64_t giga = RAM_BASE + (g * GIGA_SIZE);
        root[giga / GIGA_SIZE] = table(ram_l1[g]);
        for (uint64_t m = 0; m < 512UL; m++) {
            uint64_t pa = giga + (m * MEGA_SIZE);
            if ((pa >= RAM_END) || (overlaps_firmware(pa, MEGA_SIZE) != 0)) {
                ram_l1[g][m] = 0;
            } else if ((pa >= HYP_BASE) && (pa < CODE_END)) {
                ram_l1[g][m] = table(hyp_l0[(pa - HYP_BASE) / MEGA_SIZE]);
            } else {
                ram_l1[g][m] = leaf(pa, PTE_R | PTE_W);
            }
        }
    }
    for (uint64_t m = 0; m < CODE_MEGAS; m++) {
        for (uint64_t p = 0; p < 512UL; p++) {
            uint64_t pa = HYP_BASE + (m * MEGA_SIZE) + (p * PAGE_SIZE);
            uint64_t rights = hyp_page_rights(pa);
            hyp_l0[m][p] = (rights != 0UL) ? leaf(pa, rights) : 0UL;
        }
    }
}

void bh_mmu_enable(void)
{
    fence_rw_rw();
    csr_write(CSR_SATP, SATP_MODE_SV39 | ((uint64_t)(uintptr_t)root >> 12));
    sfence_vma_all();
}
