/* SPDX-License-Identifier: Apache-2.0 */
/* The platform PLIC, programmed by the hypervisor only (PLIC spec v1.0.0). */
#ifndef BULKHEAD_PLIC_H
#define BULKHEAD_PLIC_H

#include <stdint.h>

/* QEMU virt numbers contexts per hart as M then S: S-mode context of hart h is 2h+1. */
static inline uint32_t plic_s_context(uint32_t hartid)
{
    return (2U * hartid) + 1U;
}

void plic_set_priority(uint32_t source, uint32_t priority);
void plic_enable(uint32_t context, uint32_t source);
void plic_disable(uint32_t context, uint32_t source);
void plic_disable_all(uint32_t context);
void plic_write_enable_word(uint32_t context, uint32_t word, uint32_t value);
uint32_t plic_read_pending_word(uint32_t word);
void plic_set_threshold(uint32_t context, uint32_t threshold);
uint32_t plic_claim(uint32_t context);
void plic_complete(uint32_t context, uint32_t source);

#endif
