/* SPDX-License-Identifier: Apache-2.0 */
/* SBI IPI and RFENCE (SBI spec v2.0, ch. 7 and 8): virtual hart masks,
 * translated to physical harts of the caller's cell only. */
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "arch/sbi_firmware.h"
#include "bulkhead/cell.h"

struct sbi_result bh_sbi_ipi(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint64_t phys = 0;

    if (fid != SBI_IPI_SEND_IPI) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    r.error = bh_sbi_hart_mask(h, args[0], args[1], &phys);
    if (r.error != SBI_SUCCESS) {
        return r;
    }
    for (uint32_t p = 0; p < BH_NUM_HARTS; p++) {
        if (((phys >> p) & 1UL) == 0UL) {
            continue;
        }
        if (p == h->hartid) {
            arch_raise_guest_software_irq();
        } else {
            bh_hart_post(p, BH_MSG_GUEST_IPI);
        }
    }
    return r;
}

struct sbi_result bh_sbi_rfence(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint64_t phys = 0;

    /* The hfence functions are for an HS-mode caller; a guest has no G-stage to fence. */
    if (fid > SBI_RFENCE_SFENCE_VMA_ASID) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    r.error = bh_sbi_hart_mask(h, args[0], args[1], &phys);
    if (r.error != SBI_SUCCESS) {
        return r;
    }
    switch (fid) {
    case SBI_RFENCE_FENCE_I: r.error = sbi_fw_remote_fence_i(phys); break;
    case SBI_RFENCE_SFENCE_VMA: r.error = sbi_fw_remote_hfence_vvma(phys, args[2], args[3]); break;
    default: r.error = sbi_fw_remote_hfence_vvma_asid(phys, args[2], args[3], args[4]); break;
    }
    return r;
}
