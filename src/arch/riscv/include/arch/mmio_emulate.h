/* SPDX-License-Identifier: Apache-2.0 */
/* A decoded guest load or store to an emulated device, on the guest's registers. */
#ifndef ARCH_MMIO_EMULATE_H
#define ARCH_MMIO_EMULATE_H

#include <stdint.h>
#include "arch/insn_decode.h"
#include "bulkhead/hart.h"

/* The access mi makes at guest-physical gpa, emulated (bh_mmio_access): a
 * store's value from its register, a load's result into its register. 0 on
 * success; -1 if no device of the cell takes it, with nothing changed. */
int riscv_mmio_emulate(struct bh_hart *h, uint64_t gpa, const struct mmio_insn *mi);

#endif
