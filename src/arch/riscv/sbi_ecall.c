/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one call into the firmware (SBI spec v2.0, ch. 3: a7 = extension,
 * a6 = function, a0..a5 arguments; a0 = error, a1 = value on return). Inline
 * assembly alone in its file: the proof build (`make prove`) compiles its
 * model, ci/prove/model/sbi_ecall.c, instead.
 */
#include "arch/sbi_firmware.h"

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
