/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry from OpenSBI. The boot hart arrives at _start (fw_dynamic next_addr),
 * every other hart at bh_secondary_start via SBI HSM hart_start; both in
 * HS-mode with the MMU off, a0 = hart id (SBI spec v2.0, ch. 9.1).
 */
#include "config.h"
#include "autoconf.h"
#include "arch/hart_stack.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	/* Only the boot hart runs this, before any other hart exists: clear .bss. */
	la	t0, bh_bss_start
	la	t1, bh_bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t2, bh_main
	j	common_start

	.globl bh_secondary_start
bh_secondary_start:
	la	t2, bh_secondary_main

common_start:
	mv	tp, zero
	/* A hart the tables do not know has nowhere safe to go. */
	li	t0, BH_NUM_HARTS
	bgeu	a0, t0, park_forever
	csrw	sie, zero
	csrw	sscratch, zero
	la	t0, bh_trap_entry
	csrw	stvec, t0
	/* sp = top of this hart's stack slot (bh_hart_stack_slot, generated: only
	 * harts that run something have their own); its lowest page is the guard. */
	la	t0, bh_hart_stack_slot
	slli	t1, a0, 1
	add	t0, t0, t1
	lhu	t1, 0(t0)
	la	sp, bh_stacks
	li	t0, BH_STACK_SLOT_SIZE
	addi	t1, t1, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	jr	t2

park_forever:
	wfi
	j	park_forever
