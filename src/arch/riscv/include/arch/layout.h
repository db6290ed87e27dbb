/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Addresses the linker script (src/arch/riscv/bulkhead.ld.in) and head.S
 * define. Only their addresses mean anything: each is declared as a single
 * byte and used as &symbol, converted to an integer (docs/safety/deviations.md, DEV-05).
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

extern const char bh_text_start; /* code: read-execute */
extern const char bh_text_end;
extern const char bh_rodata_start; /* read-only data */
extern const char bh_rodata_end;
extern const char bh_data_start; /* data, bss and hart stacks: read-write */
extern const char bh_stacks;     /* per hart: a guard page, then CONFIG_HART_STACK_SIZE */
extern const char bh_stacks_end;
extern const char bh_hyp_low_end;     /* end of the code region's contents */
extern const char bh_hyp_end;         /* end of G-stage tables and cell images */
extern const char bh_secondary_start; /* head.S: where SBI HSM starts the other harts */

#endif
