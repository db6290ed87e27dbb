/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Indices into bh_trap_frame.x[] of the registers the hypervisor reads or
 * writes by their role: the argument registers a0..a7 are x10..x17 (RISC-V
 * psABI, "Integer Register Convention"). The SBI calling convention puts the
 * extension id in a7, the function id in a6, arguments in a0..a5 and the
 * result pair in a0 (error) and a1 (value) (SBI spec v2.0, ch. 3).
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define REG_A0 10U
#define REG_A1 11U
#define REG_A2 12U
#define REG_A3 13U
#define REG_A4 14U
#define REG_A5 15U
#define REG_A6 16U
#define REG_A7 17U

#endif
