/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hart sets without a physical hart mask: a guest names harts of its own cell
 * (at most 64, so one word of virtual harts), and the firmware is addressed
 * in windows of 64 physical harts (hart_mask + hart_mask_base, SBI spec v2.0
 * 3.2), so hart ids of any size never wrap onto another hart. Pure: host-tested.
 */
#ifndef BULKHEAD_HART_SET_H
#define BULKHEAD_HART_SET_H

#include <stdint.h>

/*
 * A guest's (hart_mask, hart_mask_base) over a cell of num_harts virtual
 * harts: *vharts gets bit v for each virtual hart named. Base -1 names them
 * all. SBI_ERR_INVALID_PARAM if a bit names a hart the cell does not have.
 */
long bh_hart_set_from_sbi(uint32_t num_harts, uint64_t mask, uint64_t base, uint64_t *vharts);

/*
 * One firmware window of the physical harts behind *pending (virtual harts,
 * harts[v] = physical id): the window of the lowest pending virtual hart,
 * returned as a mask with *base = its first hart id; those harts leave
 * *pending. Call until *pending is 0; each call removes at least one hart.
 */
uint64_t bh_hart_set_next_window(const uint32_t *harts, uint32_t num_harts, uint64_t *pending, uint64_t *base);

#endif
