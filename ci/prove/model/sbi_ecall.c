/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`): the firmware call, in place of
 * src/arch/riscv/sbi_ecall.c.
 *
 * Assumes: the firmware (OpenSBI, trusted: docs/safety/proof.md) returns any
 * error code and any value, and writes no memory of the hypervisor's (SBI spec
 * v2.0 3: the calls Bulkhead makes pass no pointer to hypervisor memory).
 */
#include "__fc_builtin.h"
#include "arch/sbi_firmware.h"

struct sbi_result sbi_fw_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                              unsigned long a2, unsigned long a3, unsigned long a4)
{
    (void)ext;
    (void)fid;
    (void)a0;
    (void)a1;
    (void)a2;
    (void)a3;
    (void)a4;
    struct sbi_result r = {Frama_C_long_interval(-10L, 0L), Frama_C_size_t_interval(0UL, ~0UL)};
    return r;
}
