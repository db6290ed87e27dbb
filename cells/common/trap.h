/* SPDX-License-Identifier: Apache-2.0 */
/* Interface between trap_entry.S and each guest's C trap handler. */
#ifndef CELLS_TRAP_H
#define CELLS_TRAP_H

/* Layout must match the offsets in trap_entry.S. */
struct trap_frame {
	unsigned long ra;
	unsigned long t0, t1, t2;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long t3, t4, t5, t6;
	unsigned long sepc; /* restored on return: may be advanced */
	unsigned long scause;
	unsigned long stval;
	unsigned long pad; /* keeps the frame 16-byte aligned */
};

/* The stvec target (trap_entry.S). */
void trap_entry(void);

/* Provided by every guest; called by trap_entry with the saved frame. */
void trap_handler(struct trap_frame *frame);

#endif
