/* SPDX-License-Identifier: Apache-2.0 */
/* Trap-frame and struct bh_hart offsets shared by C (checked with static
 * asserts in hart.h) and assembly. */
#ifndef BULKHEAD_ASM_OFFSETS_H
#define BULKHEAD_ASM_OFFSETS_H
#define BH_FRAME_SEPC    256
#define BH_FRAME_SSTATUS 264
#define BH_FRAME_HSTATUS 272
#define BH_FRAME_HYP_SP  280
/* struct bh_hart: stats.exits (the device store's fast path counts its exit, trap_entry.S). */
#define BH_HART_EXITS 336
#endif
