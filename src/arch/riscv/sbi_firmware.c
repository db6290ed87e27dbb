/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/sbi_firmware.h"
#include "bulkhead/sbi_defs.h"

long sbi_fw_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque)
{
    return sbi_fw_call(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start, opaque, 0, 0).error;
}

long sbi_fw_send_ipi(unsigned long mask, unsigned long base)
{
    return sbi_fw_call(SBI_EXT_IPI, SBI_IPI_SEND_IPI, mask, base, 0, 0, 0).error;
}

long sbi_fw_remote_fence_i(unsigned long mask, unsigned long base)
{
    return sbi_fw_call(SBI_EXT_RFENCE, SBI_RFENCE_FENCE_I, mask, base, 0, 0, 0).error;
}

/* A guest's sfence.vma on remote harts is an hfence.vvma there: the target
 * harts run the same cell, so their hgatp.VMID is the one to flush. */
long sbi_fw_remote_hfence_vvma(unsigned long mask, unsigned long base, unsigned long start, unsigned long size)
{
    return sbi_fw_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA, mask, base, start, size, 0).error;
}

long sbi_fw_remote_hfence_vvma_asid(unsigned long mask, unsigned long base, unsigned long start, unsigned long size,
                                    unsigned long asid)
{
    return sbi_fw_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_VVMA_ASID, mask, base, start, size, asid).error;
}
