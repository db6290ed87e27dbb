/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/plic.h"
#include "bulkhead/vplic.h"
#include "bulkhead/lib.h"
#include "config.h"

/* Enable words are read-modify-written by several harts (a cell restarting,
 * the console moving its receive interrupt): one at a time. */
static struct bh_lock enable_lock;

_Static_assert(BH_PLIC_BASE < 0x40000000UL, "MMIO is mapped as the first gigapage (mmu.c)");

static volatile uint32_t *reg(uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)(BH_PLIC_BASE + (uint64_t)offset);
}

void plic_set_priority(uint32_t source, uint32_t priority)
{
    *reg(VPLIC_PRIORITY_BASE + (source * 4U)) = priority;
}

static volatile uint32_t *enable_word(uint32_t context, uint32_t source)
{
    return reg(VPLIC_ENABLE_BASE + (context * VPLIC_ENABLE_STRIDE) + ((source / 32U) * 4U));
}

void plic_enable(uint32_t context, uint32_t source)
{
    bh_lock_acquire(&enable_lock);
    *enable_word(context, source) |= 1U << (source % 32U);
    bh_lock_release(&enable_lock);
}

void plic_disable(uint32_t context, uint32_t source)
{
    bh_lock_acquire(&enable_lock);
    *enable_word(context, source) &= ~(1U << (source % 32U));
    bh_lock_release(&enable_lock);
}

void plic_disable_all(uint32_t context)
{
    bh_lock_acquire(&enable_lock);
    for (uint32_t w = 0; w < VPLIC_WORDS; w++) {
        *reg(VPLIC_ENABLE_BASE + (context * VPLIC_ENABLE_STRIDE) + (w * 4U)) = 0U;
    }
    bh_lock_release(&enable_lock);
}

void plic_write_enable_word(uint32_t context, uint32_t word, uint32_t value)
{
    bh_lock_acquire(&enable_lock);
    *reg(VPLIC_ENABLE_BASE + (context * VPLIC_ENABLE_STRIDE) + (word * 4U)) = value;
    bh_lock_release(&enable_lock);
}

uint32_t plic_read_pending_word(uint32_t word)
{
    return *reg(VPLIC_PENDING_BASE + (word * 4U));
}

void plic_set_threshold(uint32_t context, uint32_t threshold)
{
    *reg(VPLIC_CONTEXT_BASE + (context * VPLIC_CONTEXT_STRIDE)) = threshold;
}

uint32_t plic_claim(uint32_t context)
{
    return *reg(VPLIC_CONTEXT_BASE + (context * VPLIC_CONTEXT_STRIDE) + 4U);
}

void plic_complete(uint32_t context, uint32_t source)
{
    *reg(VPLIC_CONTEXT_BASE + (context * VPLIC_CONTEXT_STRIDE) + 4U) = source;
}
