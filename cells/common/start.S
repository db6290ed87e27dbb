/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the test guests.
 *
 * The SBI implementation (OpenSBI natively, Bulkhead in a cell) enters here
 * in S-mode (VS-mode in a cell) with the MMU off, a0 = hart id and
 * a1 = device tree address (SBI v2.0 ch. 4 "Base" boot protocol as used by
 * Linux; HSM ch. 9 table "Hart Start Register State" for started harts).
 * All other registers are undefined, so gp, tp and sp are set here.
 *
 * tp holds the hart's slot (0 = boot hart, 1 = hart started through HSM,
 * see secondary.S); C code uses it to find its per-hart data.
 */
#include "layout.h"

	.section .text.start, "ax"
	.globl	_start
_start:
	.option	push
	.option	norelax
	la	gp, __global_pointer$
	.option	pop

	/* No interrupt source until the guest has set stvec itself. */
	csrw	sie, zero

	li	tp, 0
	la	sp, __stacks + GUEST_STACK_SIZE

	/* Clear .bss (8-byte aligned by guest.ld); a0/a1 stay untouched. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* guest_main(hartid = a0, dtb = a1) does not return. */
	call	guest_main
3:	wfi
	j	3b

	/* Stacks for every slot; the .stack output section is NOLOAD. */
	.section .stack, "aw", @nobits
	.balign	16
	.globl	__stacks
__stacks:
	.space	GUEST_STACK_SIZE * GUEST_NSLOTS
