/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of a hart started with SBI HSM hart_start (SBI v2.0 ch. 9.1):
 * S-mode, satp = 0, sstatus.SIE = 0, a0 = hart id, a1 = opaque.
 * It runs in slot 1 (tp = 1) on the second stack; the boot hart cleared
 * .bss before it could start this hart.  a0/a1 pass on to C unchanged so
 * the C code can check them.
 */
#include "layout.h"

	.text
	.globl	secondary_entry
	.balign	4
secondary_entry:
	.option	push
	.option	norelax
	la	gp, __global_pointer$
	.option	pop
	csrw	sie, zero
	li	tp, 1
	la	sp, __stacks + 2 * GUEST_STACK_SIZE
	call	secondary_main
1:	wfi
	j	1b
