/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an SBI v0.2+ call returns (SBI spec v2.0, ch. 3 "Binary Encoding"):
 * error in a0, value in a1. One type for both directions the hypervisor sees:
 * the calls its guests make and the calls it makes to the firmware.
 */
#ifndef BULKHEAD_SBI_RESULT_H
#define BULKHEAD_SBI_RESULT_H

#include <stdint.h>

struct sbi_result {
    long error; /* SBI_SUCCESS or SBI_ERR_* */
    uint64_t value;
};

#endif
