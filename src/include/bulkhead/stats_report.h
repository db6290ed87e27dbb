/* SPDX-License-Identifier: Apache-2.0 */
/* Statistics reports on the console, in the format stats.h documents. */
#ifndef BULKHEAD_STATS_REPORT_H
#define BULKHEAD_STATS_REPORT_H

#include <stdint.h>

/* One line per hart of the cell. */
void bh_stats_print_cell(uint32_t cell, const char *reason);
/* One line per hart of every cell. */
void bh_stats_print_all(const char *reason);

#endif
