/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Interrupts that reach the hypervisor and the guest interrupt lines they
 * drive: the physical PLIC (software interrupts carrying mailbox messages:
 * hart_park.h), the hart's own wakeup timer, and every update of a virtual hart's
 * external interrupt line (hvip.VSEIP) from its cell's vPLIC and vUART.
 */
#ifndef BULKHEAD_IRQ_H
#define BULKHEAD_IRQ_H

#include <stdint.h>
#include "bulkhead/hart.h"

void bh_irq_init_platform(void);
void bh_irq_init_hart(const struct bh_hart *h);
void bh_irq_device_done(uint32_t cell, uint32_t source);
void bh_irq_reset_cell(uint32_t cell);
void bh_irq_external(struct bh_hart *h);
/* The hart's own wakeup timer fired while its guest ran: held console output is due. */
void bh_irq_wakeup(struct bh_hart *h);

/* Re-evaluates every virtual hart's external interrupt line after a vPLIC change. */
void bh_irq_update_lines(uint32_t cell);
/* The cell's vUART interrupt output is `level`: to its vPLIC source, or in an
 * "aia" cell to its emulated APLIC source (irq_aia.h). Cell lock held. */
void bh_irq_vuart_line(uint32_t cell, uint32_t level);
/* BH_MSG_VPLIC on this hart: its line may have changed (or, in direct mode,
 * another virtual hart completed this one's claim). */
void bh_irq_line_changed(struct bh_hart *h);

#endif
