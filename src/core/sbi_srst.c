/* SBI SRST (SBI spec v2.0, ch. 10): the "system" a cell may reset is itself. */
#include "bulkhead/sbi.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"

#define SRST_SHUTDOWN    0UL
#define SRST_COLD_REBOOT 1UL
#define SRST_WARM_REBOOT 2UL
#define SRST_REASON_SYSTEM_FAILURE 1UL
#define SRST_VENDOR_FIRST 0xF0000000UL
#define SRST_REASON_SBI_FIRST 0xE0000000UL

struct sbi_result bh_sbi_srst(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = { SBI_SUCCESS, 0 };
    uint64_t type = args[0];
    uint64_t reason = args[1];

    if (fid != 0U) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    if ((type > 0xFFFFFFFFUL) || (reason > 0xFFFFFFFFUL)) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    if (type >= SRST_VENDOR_FIRST) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    if (((type != SRST_SHUTDOWN) && (type != SRST_COLD_REBOOT) && (type != SRST_WARM_REBOOT)) ||
        ((reason > SRST_REASON_SYSTEM_FAILURE) && (reason < SRST_REASON_SBI_FIRST))) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    if (type == SRST_SHUTDOWN) {
        bh_cell_shutdown(h, 0U, "SBI system reset: shutdown");
    }
    bh_cell_shutdown(h, 1U, "SBI system reset: reboot");
}
