/* SPDX-License-Identifier: Apache-2.0 */
/* Direct interrupt mode: claim in hardware, two exits per device interrupt. */
#ifndef BULKHEAD_IRQ_DIRECT_H
#define BULKHEAD_IRQ_DIRECT_H

#include <stdint.h>
#include "bulkhead/hart.h"
#include "bulkhead/vplic.h"

/* Exit 1: a physical external interrupt on a hart of a direct-mode cell. */
void bh_irq_direct_arrived(struct bh_hart *h);
/* The guest completed: lower its line and take physical interrupts again. */
void bh_irq_direct_done(struct bh_hart *h);
/* Mirrors an emulated register write (already applied to v) into the hardware. */
void bh_irq_direct_mirror(struct bh_hart *h, uint32_t offset, uint32_t value, const struct vplic *v);
/* The hardware pending bits of the cell's own sources. */
uint32_t bh_irq_direct_pending(const struct vplic *v, uint32_t word);

#endif
