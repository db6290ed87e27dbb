/* SPDX-License-Identifier: Apache-2.0 */
/* SBI IPI and RFENCE (SBI spec v2.0, ch. 7 and 8): virtual hart masks,
 * translated to physical harts of the caller's cell only. */
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "arch/sbi_firmware.h"
#include "bulkhead/cell.h"
#include "bulkhead/hart_set.h"

struct sbi_result bh_sbi_ipi(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint64_t vharts = 0;

    if (fid != SBI_IPI_SEND_IPI) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    r.error = bh_hart_set_from_sbi(c->num_harts, args[0], args[1], &vharts);
    if (r.error != SBI_SUCCESS) {
        return r;
    }
    for (uint32_t v = 0; v < c->num_harts; v++) {
        if (((vharts >> v) & 1UL) == 0UL) {
            continue;
        }
        if (v == h->vhart) {
            arch_raise_guest_software_irq();
        } else {
            bh_hart_post(c->harts[v], BH_MSG_GUEST_IPI);
        }
    }
    return r;
}

/* The firmware fences physical harts; one call per window of 64 hart ids. */
static long rfence_window(uint64_t fid, uint64_t mask, uint64_t base, const uint64_t *args)
{
    switch (fid) {
    case SBI_RFENCE_FENCE_I: return sbi_fw_remote_fence_i(mask, base);
    case SBI_RFENCE_SFENCE_VMA: return sbi_fw_remote_hfence_vvma(mask, base, args[2], args[3]);
    default: return sbi_fw_remote_hfence_vvma_asid(mask, base, args[2], args[3], args[4]);
    }
}

struct sbi_result bh_sbi_rfence(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    const struct bh_cell_config *c = bh_hart_cell(h);
    uint64_t pending = 0;

    /* The hfence functions are for an HS-mode caller; a guest has no G-stage to fence. */
    if (fid > SBI_RFENCE_SFENCE_VMA_ASID) {
        r.error = SBI_ERR_NOT_SUPPORTED;
        return r;
    }
    r.error = bh_hart_set_from_sbi(c->num_harts, args[0], args[1], &pending);
    while ((r.error == SBI_SUCCESS) && (pending != 0UL)) {
        uint64_t base = 0;
        uint64_t window = bh_hart_set_next_window(c->harts, c->num_harts, &pending, &base);
        if (window != 0UL) {
            r.error = rfence_window(fid, window, base, args);
        }
    }
    return r;
}
