/* SPDX-License-Identifier: Apache-2.0 */
/* The console output unit test's CPU (test_console_out.c): a host thread per
 * hart, the host's monotonic clock as the time CSR, no wakeup timer. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include "bulkhead/hart.h"

struct bh_hart *arch_this_hart(void);
uint64_t arch_time_now(void);
static inline uint64_t arch_time_now_inline(void)
{
    return arch_time_now();
}
void arch_set_wakeup(uint64_t deadline);

#endif
