/* SPDX-License-Identifier: Apache-2.0 */
#include "arch/sbi_firmware.h"
#include "bulkhead/sbi_defs.h"

struct sbi_result sbi_fw_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                              unsigned long a2, unsigned long a3, unsigned long a4)
{
    register unsigned long r_a0 __asm__("a0") = a0;
    register unsigned long r_a1 __asm__("a1") = a1;
    register unsigned long r_a2 __asm__("a2") = a2;
    register unsigned long r_a3 __asm__("a3") = a3;
    register unsigned long r_a4 __asm__("a4") = a4;
    register unsigned long r_a6 __asm__("a6") = fid;
    register unsigned long r_a7 __asm__("a7") = ext;

    __asm__ volatile("ecall"
                     : "+r"(r_a0), "+r"(r_a1)
                     : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a6), "r"(r_a7)
                     : "memory");
    return (struct sbi_result){(long)r_a0, (uint64_t)r_a1};
}

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
