/* SPDX-License-Identifier: Apache-2.0 */
/* Trap-frame offsets shared by C (checked with static asserts) and assembly. */
#ifndef BULKHEAD_ASM_OFFSETS_H
#define BULKHEAD_ASM_OFFSETS_H
#define BH_FRAME_SEPC    256
#define BH_FRAME_SSTATUS 264
#define BH_FRAME_HSTATUS 272
#define BH_FRAME_HYP_SP  280
#endif
