/* SPDX-License-Identifier: Apache-2.0 */
/* hostirq.h on a PLIC (PLIC spec v1.0.0): a hart receives in its S-mode context. */
#include "bulkhead/hostirq.h"
#include "bulkhead/plic.h"

void hostirq_prepare_source(uint32_t source)
{
    /* Priority 0 would never interrupt (PLIC spec ch. 4). */
    plic_set_priority(source, 1U);
}

void hostirq_init_local(uint32_t hartid)
{
    plic_set_threshold(plic_s_context(hartid), 0U);
}

void hostirq_forget_hart(uint32_t hartid)
{
    uint32_t ctx = plic_s_context(hartid);

    plic_disable_all(ctx);
    plic_set_threshold(ctx, 0U);
}

void hostirq_enable(uint32_t hartid, uint32_t source)
{
    plic_enable(plic_s_context(hartid), source);
}

void hostirq_disable(uint32_t hartid, uint32_t source)
{
    plic_disable(plic_s_context(hartid), source);
}

uint32_t hostirq_claim(uint32_t hartid)
{
    return plic_claim(plic_s_context(hartid));
}

void hostirq_complete(uint32_t hartid, uint32_t source)
{
    plic_complete(plic_s_context(hartid), source);
}

void hostirq_guest_file_reset(uint32_t vgein)
{
    (void)vgein; /* a PLIC platform has no IMSIC guest interrupt files: bhconfig assigns none */
}
