/* SPDX-License-Identifier: Apache-2.0 */
/* SBI BASE extension (SBI spec v2.0, ch. 4). */
#include "bulkhead/sbi.h"
#include "arch/sbi_firmware.h"

#define BULKHEAD_SPEC_VERSION 0x02000000UL /* SBI v2.0 */
/* Not a registered implementation id (SBI spec table 5): "BH" in ASCII. */
#define BULKHEAD_IMPL_ID      0x4248UL
#define BULKHEAD_IMPL_VERSION 0x00010000UL

struct sbi_result bh_sbi_base(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};

    (void)h;
    /* The calls are each a case's last act (tail calls), so the answers the
     * hypervisor knows itself need no stack frame. */
    switch (fid) {
    case SBI_BASE_GET_SPEC_VERSION: r.value = BULKHEAD_SPEC_VERSION; break;
    case SBI_BASE_GET_IMPL_ID: r.value = BULKHEAD_IMPL_ID; break;
    case SBI_BASE_GET_IMPL_VERSION: r.value = BULKHEAD_IMPL_VERSION; break;
    case SBI_BASE_PROBE_EXTENSION: return bh_sbi_probe(args[0]);
    case SBI_BASE_GET_MVENDORID:
    case SBI_BASE_GET_MARCHID:
    case SBI_BASE_GET_MIMPID:
        /* Guests apply errata by these ids: report the real machine's. */
        return sbi_fw_call(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);
    default: r.error = SBI_ERR_NOT_SUPPORTED; break;
    }
    return r;
}
