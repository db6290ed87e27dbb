/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emulated devices of a cell: its virtual PLIC, its NS16550, its doorbell page, for an
 * interrupt-controller = "aia" cell the configuration registers of its APLIC domain, and
 * the filtered PCI configuration space of a cell with PCI functions. Everything
 * else a guest touches outside its G-stage map is a fault of that cell.
 */
#include "bulkhead/cell.h"
#include "bulkhead/doorbell.h"
#include "bulkhead/exits.h"
#include "bulkhead/irq_aia.h"
#include "bulkhead/mmio_devices.h"
#include "bulkhead/pci.h"
#include "bulkhead/vuart.h"

/* The rarer devices. Each step of the dispatch is a function of its own
 * with at most two tail calls: with a third, GCC 12 copies every argument
 * through other registers on the way to each device, the vPLIC's too. */
static int mmio_access_other(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
    __attribute__((noinline));
static int mmio_access_other(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
{
    const struct bh_cell_config *c = h->cell_config;

    if ((c->vaplic_base != 0U) && (gpa >= c->vaplic_base) && ((gpa - c->vaplic_base) < BH_VAPLIC_SIZE)) {
        return bh_irq_aia_access(h, (uint32_t)(gpa - c->vaplic_base), width, is_store, value);
    }
    if ((c->doorbell_base != 0U) && (gpa >= c->doorbell_base) && ((gpa - c->doorbell_base) < BH_DOORBELL_PAGE_SIZE)) {
        return bh_doorbell_access(h, (uint32_t)(gpa - c->doorbell_base), width, is_store, value);
    }
    if ((c->ecam_size != 0U) && (gpa >= c->ecam_base) && ((gpa - c->ecam_base) < c->ecam_size)) {
        return bh_pci_ecam_access(h, gpa, width, is_store, value);
    }
    return -1;
}

/* The emulated UART, the second most frequent, or the rarer devices. */
static int mmio_access_not_vplic(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
    __attribute__((noinline));
static int mmio_access_not_vplic(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
{
    const uint64_t console = h->cell_config->console_base;

    if ((console != 0U) && ((gpa - console) < VUART_SIZE)) {
        return bh_vuart_access(h, (uint32_t)(gpa - console), width, is_store, value);
    }
    return mmio_access_other(h, gpa, width, is_store, value);
}

/* A refused access (-1) changes nothing: the exit's fast path then leaves it to the general one.
 * The most frequent device first (the windows do not overlap: each is its
 * own platform device's). An address below a window's base wraps to far
 * above its size, so one unsigned compare tells whether it is inside. */
int bh_mmio_access(struct bh_hart *h, uint64_t gpa, uint32_t width, uint32_t is_store, uint64_t *value)
{
    const uint64_t plic = h->cell_config->vplic_base;

    if ((gpa - plic) < BH_PLIC_SIZE) {
        return bh_vplic_access(h, (uint32_t)(gpa - plic), width, is_store, value);
    }
    return mmio_access_not_vplic(h, gpa, width, is_store, value);
}
