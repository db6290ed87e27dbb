/* SPDX-License-Identifier: Apache-2.0 */
/* Calls from the hypervisor (HS-mode) down to OpenSBI (M-mode); SBI spec v2.0. */
#ifndef ARCH_SBI_FIRMWARE_H
#define ARCH_SBI_FIRMWARE_H

#include <stdint.h>
#include "bulkhead/sbi_result.h"

struct sbi_result sbi_fw_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                              unsigned long a2, unsigned long a3, unsigned long a4);
long sbi_fw_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);
long sbi_fw_send_ipi(unsigned long mask, unsigned long base);
/* Hart sets are (mask, base) windows of 64 physical hart ids (SBI spec v2.0 3.2). */
long sbi_fw_remote_fence_i(unsigned long mask, unsigned long base);
long sbi_fw_remote_hfence_vvma(unsigned long mask, unsigned long base, unsigned long start, unsigned long size);
long sbi_fw_remote_hfence_vvma_asid(unsigned long mask, unsigned long base, unsigned long start, unsigned long size,
                                    unsigned long asid);

#endif
