/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arch_park(h): the hart leaves whatever it was doing for its park loop,
 * which starts from the top of its hypervisor stack. Nothing on the stack is
 * needed again (a parked hart returns to a guest only through a reset vCPU,
 * arch_vcpu_enter), so the loop's depth never adds to the path that parked
 * it, and a loop round sees no stale frames.
 */
#include "bulkhead/asm_offsets.h"

	.section .text, "ax"
	.balign 4
	.globl arch_park
arch_park:
	ld	sp, BH_FRAME_HYP_SP(a0)	/* a0 = h, whose first member is the frame */
	tail	bh_hart_park_loop
