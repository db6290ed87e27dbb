/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostirq.h on the AIA (RISC-V AIA spec v1.0): the supervisor APLIC domain
 * sends source s as identity s to the supervisor IMSIC file of the hart in
 * its target register, so routing a source is writing its target. Every
 * hart's file enables every identity; the APLIC's per-source enable decides.
 */
#include "bulkhead/hostirq.h"
#include "bulkhead/aplic.h"
#include "bulkhead/imsic.h"
#include "bulkhead/lib.h"
#include "config.h"

_Static_assert(BH_PLIC_NDEV <= BH_IMSIC_IDS, "bhconfig: APLIC sources are sent as IMSIC identities of the same number");

/* Target and enable of one source are read-modify-written by several harts. */
static struct bh_lock route_lock;

void hostirq_prepare_source(uint32_t source)
{
    aplic_enable_domain(); /* the same value every time: the first source turns the domain on */
    aplic_set_enabled(source, 0U);
    /* QEMU virt's wired sources are level-high (interrupt type 4 in its device tree). */
    aplic_set_sourcecfg(source, APLIC_SM_LEVEL1);
    aplic_set_target(source, aplic_msi_target(0U, 0U, source));
}

void hostirq_init_local(uint32_t hartid)
{
    (void)hartid; /* the file is reached through the calling hart's own CSRs */
    imsic_init_local((uint32_t)BH_PLIC_NDEV);
}

void hostirq_forget_hart(uint32_t hartid)
{
    bh_lock_acquire(&route_lock);
    for (uint32_t s = 1U; s <= (uint32_t)BH_PLIC_NDEV; s++) {
        if ((aplic_sourcecfg(s) != APLIC_SM_INACTIVE) && (aplic_target_hart(aplic_target(s)) == hartid)) {
            aplic_set_enabled(s, 0U);
        }
    }
    bh_lock_release(&route_lock);
}

void hostirq_enable(uint32_t hartid, uint32_t source)
{
    bh_lock_acquire(&route_lock);
    aplic_set_target(source, aplic_msi_target(hartid, 0U, source));
    aplic_set_enabled(source, 1U);
    bh_lock_release(&route_lock);
}

void hostirq_disable(uint32_t hartid, uint32_t source)
{
    bh_lock_acquire(&route_lock);
    if (aplic_target_hart(aplic_target(source)) == hartid) {
        aplic_set_enabled(source, 0U);
    }
    bh_lock_release(&route_lock);
}

uint32_t hostirq_claim(uint32_t hartid)
{
    (void)hartid; /* stopei is the calling hart's */
    return imsic_claim();
}

void hostirq_guest_file_reset(uint32_t vgein)
{
    if (vgein != 0U) {
        imsic_guest_file_clear((uint32_t)BH_IMSIC_IDS);
    }
}

void hostirq_complete(uint32_t hartid, uint32_t source)
{
    (void)hartid;
    /* Level-sensitive in MSI mode: the pending bit is set again only by a new
     * assertion or this write, which pends it if the device still requests (4.9.2). */
    aplic_retrigger(source);
}
