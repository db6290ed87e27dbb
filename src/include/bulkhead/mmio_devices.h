/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emulated devices bh_mmio_access (mmio.c) hands an access to, each with
 * the offset in its window. Each is a function of its own file, so that the
 * dispatcher stays a leaf that tail-calls the device: an exit to the vPLIC
 * then sets up no stack frame for the vUART's registers.
 */
#ifndef BULKHEAD_MMIO_DEVICES_H
#define BULKHEAD_MMIO_DEVICES_H

#include <stdint.h>
#include "bulkhead/hart.h"

/* 0 if emulated; -1 (nothing changed) for a width the device does not take. */
int bh_vplic_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value);
/* Any width: every register of the NS16550 is a byte. Always 0. Takes the
 * vPLIC's arguments (width unused), so the dispatcher's tail call to either
 * moves no register. */
int bh_vuart_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value);

#endif
