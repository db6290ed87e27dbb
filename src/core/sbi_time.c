/* SPDX-License-Identifier: Apache-2.0 */
/* SBI TIME (SBI spec v2.0, ch. 6): one exit that programs vstimecmp (Sstc);
 * the timer interrupt itself then reaches the guest without the hypervisor. */
#include "bulkhead/sbi.h"
#include "arch/cpu.h"

struct sbi_result bh_sbi_time(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};

    (void)h;
    if (fid == SBI_TIME_SET_TIMER) {
        arch_set_guest_timer(args[0]);
    } else {
        r.error = SBI_ERR_NOT_SUPPORTED;
    }
    return r;
}
