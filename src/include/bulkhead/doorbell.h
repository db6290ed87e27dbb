/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbells of the shared-memory channels (docs/shmem.md): each cell in a
 * channel has one emulated 4 KiB doorbell page, a 16-byte slot per channel
 * (layout: BH_DOORBELL_* in abi.h). A ring raises the peer member's declared
 * line in the peer's virtual PLIC and posts the line update to a hart of the
 * peer only. A ring that finds the previous one undelivered is merged, so a
 * peer takes at most one doorbell interrupt per acknowledge.
 */
#ifndef BULKHEAD_DOORBELL_H
#define BULKHEAD_DOORBELL_H

#include <stdint.h>
#include "bulkhead/hart.h"

#define BH_DOORBELL_PAGE_SIZE 0x1000U

/* No ring latched for the cell (its restart; bh_cell_init made its lines its own vPLIC sources): under its lock. */
void bh_doorbell_reset_cell(uint32_t cell);

/* 1 if `source` is a doorbell line of `cell`. */
uint32_t bh_doorbell_is_line(uint32_t cell, uint32_t source);

/* The guest completed doorbell line `source`: a ring latched meanwhile becomes pending. Cell lock held. */
void bh_doorbell_completed(uint32_t cell, uint32_t source);

/* A trapped access at `offset` in the hart's cell's doorbell page: 0 emulated, -1 a fault of the cell. */
int bh_doorbell_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value);

/* The cell is stopping or restarting: bump the generation of each of its
 * channels and ring the other members so that they notice. No lock held. */
void bh_doorbell_member_changed(uint32_t cell);

/* Channel generation (BH_DOORBELL_GENERATION), for the statistics and tests. */
uint32_t bh_doorbell_generation(uint32_t channel);

#endif
