/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Direct-mode stvec handler shared by the test guests (stvec.MODE = 0,
 * so the address must be 4-byte aligned: RISC-V privileged spec, "stvec").
 *
 * It saves every caller-saved register (ra, t0-t6, a0-a7) plus sepc,
 * scause and stval on the interrupted stack, calls
 * trap_handler(struct trap_frame *) (see trap.h) and restores them.
 * Callee-saved registers are preserved by the C handler itself.
 * sepc is restored from the frame so the handler may step over an
 * instruction.  The handler runs with sstatus.SIE = 0 (cleared by the
 * trap); sret restores it from SPIE.
 */
#define FRAME_SIZE 160

	.text
	.globl	trap_entry
	.balign	4
trap_entry:
	addi	sp, sp, -FRAME_SIZE
	sd	ra,   0(sp)
	sd	t0,   8(sp)
	sd	t1,  16(sp)
	sd	t2,  24(sp)
	sd	a0,  32(sp)
	sd	a1,  40(sp)
	sd	a2,  48(sp)
	sd	a3,  56(sp)
	sd	a4,  64(sp)
	sd	a5,  72(sp)
	sd	a6,  80(sp)
	sd	a7,  88(sp)
	sd	t3,  96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	csrr	t0, sepc
	sd	t0, 128(sp)
	csrr	t0, scause
	sd	t0, 136(sp)
	csrr	t0, stval
	sd	t0, 144(sp)

	mv	a0, sp
	call	trap_handler

	ld	t0, 128(sp)
	csrw	sepc, t0
	ld	ra,   0(sp)
	ld	t0,   8(sp)
	ld	t1,  16(sp)
	ld	t2,  24(sp)
	ld	a0,  32(sp)
	ld	a1,  40(sp)
	ld	a2,  48(sp)
	ld	a3,  56(sp)
	ld	a4,  64(sp)
	ld	a5,  72(sp)
	ld	a6,  80(sp)
	ld	a7,  88(sp)
	ld	t3,  96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, FRAME_SIZE
	sret
