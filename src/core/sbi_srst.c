/* SPDX-License-Identifier: Apache-2.0 */
/* SBI SRST (SBI spec v2.0, ch. 10): the "system" a cell may reset is itself. */
#include "bulkhead/sbi.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"

struct sbi_result bh_sbi_srst(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint64_t type = args[0];
    uint64_t reason = args[1];

    if (fid != SBI_SRST_SYSTEM_RESET) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    if ((type > 0xFFFFFFFFUL) || (reason > 0xFFFFFFFFUL)) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    if (type >= SBI_SRST_TYPE_VENDOR_FIRST) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    if (((type != SBI_SRST_TYPE_SHUTDOWN) && (type != SBI_SRST_TYPE_COLD_REBOOT) &&
         (type != SBI_SRST_TYPE_WARM_REBOOT)) ||
        ((reason > SBI_SRST_REASON_SYSTEM_FAILURE) && (reason < SBI_SRST_REASON_SBI_FIRST))) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    if (type == SBI_SRST_TYPE_SHUTDOWN) {
        bh_cell_shutdown(h, 0U, "SBI system reset: shutdown");
    }
    bh_cell_shutdown(h, 1U, "SBI system reset: reboot");
}
