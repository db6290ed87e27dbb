/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only way into the hypervisor after boot. While a guest runs, sscratch
 * holds the hart's struct bh_hart (whose first member is the trap frame);
 * while the hypervisor runs it holds 0, so a trap taken by the hypervisor
 * itself is told apart with one instruction.
 */
#include "bulkhead/asm_offsets.h"

/* scause values (priv spec 18.6.1, table 8.7); csr.h's CAUSE_* are C. */
#define SCAUSE_VS_ECALL       10
#define SCAUSE_LOAD_GUEST_PF  21
#define SCAUSE_STORE_GUEST_PF 23

/* Bit n set for xn among gp, s0-s1 and s2-s11 (trap_fast.c's CALLEE_SAVED_REGS). */
#define CALLEE_SAVED_REGS 0x0ffc0308

/* gp and s0-s11 (psABI: callee-saved, so C code preserves them), at a0 = the frame. */
.macro save_callee_saved
	sd	x3, 3*8(a0)
	sd	x8, 8*8(a0)
	sd	x9, 9*8(a0)
	sd	x18, 18*8(a0)
	sd	x19, 19*8(a0)
	sd	x20, 20*8(a0)
	sd	x21, 21*8(a0)
	sd	x22, 22*8(a0)
	sd	x23, 23*8(a0)
	sd	x24, 24*8(a0)
	sd	x25, 25*8(a0)
	sd	x26, 26*8(a0)
	sd	x27, 27*8(a0)
.endm
.macro restore_callee_saved
	ld	x3, 3*8(a0)
	ld	x8, 8*8(a0)
	ld	x9, 9*8(a0)
	ld	x18, 18*8(a0)
	ld	x19, 19*8(a0)
	ld	x20, 20*8(a0)
	ld	x21, 21*8(a0)
	ld	x22, 22*8(a0)
	ld	x23, 23*8(a0)
	ld	x24, 24*8(a0)
	ld	x25, 25*8(a0)
	ld	x26, 26*8(a0)
	ld	x27, 27*8(a0)
.endm

	.section .text, "ax"
	.balign 4
	.globl bh_trap_entry
bh_trap_entry:
	csrrw	sp, sscratch, sp
	beqz	sp, hyp_trap

	/*
	 * From a guest. First what C code may change (psABI: ra, t0-t6,
	 * a0-a7) and what the entry itself changes (sp, tp): enough for an
	 * SBI call's or a device access's fast path (trap_fast.c), which keeps
	 * sepc, sstatus and hstatus in their CSRs.
	 */
	sd	x1, 1*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrrw	t0, sscratch, zero
	sd	t0, 2*8(sp)
	mv	a0, sp
	mv	tp, sp		/* tp = this hart's struct bh_hart while in the hypervisor */
	ld	sp, BH_FRAME_HYP_SP(sp)
	csrr	t0, scause
	li	t1, SCAUSE_VS_ECALL
	beq	t0, t1, fast_ecall
	li	t1, SCAUSE_LOAD_GUEST_PF
	beq	t0, t1, fast_load
	li	t1, SCAUSE_STORE_GUEST_PF
	beq	t0, t1, fast_store
	j	general_path
fast_ecall:
	call	bh_sbi_dispatch_fast	/* a0 = the frame to resume, or 0 */
	bnez	a0, resume_saved
general_path:

	/*
	 * The general path: the registers C code preserved until now
	 * (psABI: gp is never touched, s0-s11 are callee-saved), then the
	 * trap CSRs. sstatus.SPP and hstatus.SPVP say whether the guest was
	 * in VS or VU.
	 */
	mv	a0, tp
	save_callee_saved
trap_csrs:
	csrr	t0, sepc
	sd	t0, BH_FRAME_SEPC(a0)
	csrr	t0, sstatus
	sd	t0, BH_FRAME_SSTATUS(a0)
	csrr	t0, hstatus
	sd	t0, BH_FRAME_HSTATUS(a0)
	call	bh_trap_from_guest
	/* fall through: a0 = frame to resume */

	.globl bh_vcpu_resume
bh_vcpu_resume:
	ld	t0, BH_FRAME_SEPC(a0)
	csrw	sepc, t0
	ld	t0, BH_FRAME_SSTATUS(a0)
	csrw	sstatus, t0
	ld	t0, BH_FRAME_HSTATUS(a0)
	csrw	hstatus, t0
	restore_callee_saved
	j	resume_saved

	/*
	 * A load from an emulated device: the fast path takes only loads into
	 * a register the entry saved (it declines one into gp or s0-s11), so
	 * those stay in their registers throughout; declined, the general
	 * path saves them.
	 */
fast_load:
	mv	a0, tp
	call	bh_trap_fast_load
	bnez	a0, resume_saved
	j	general_path

	/*
	 * A store to an emulated device: its source is rs2 of the transformed
	 * instruction in htinst (bits 24:20; priv spec 18.6.3, 0 if there is
	 * none: x0, and the C part declines). If that is gp or one of s0-s11,
	 * those go into the frame too; C code preserves them, so on the way
	 * back only what the entry saved is restored. The C part emulates the
	 * store (0) or declines with nothing changed: the trap CSRs stay in
	 * place and the general path saves what it still needs. Emulated, the
	 * guest resumes past its instruction (bit 1 of htinst clear: a 2-byte
	 * one; htinst is still the trap's, nothing on a fast path traps) and
	 * the exit is counted, as the load's fast path does it in C
	 * (trap_fast.c, fast_done): here, the C part keeps no frame.
	 */
fast_store:
	csrr	t1, htinst
	srli	t1, t1, 20
	andi	t1, t1, 31
	li	t2, CALLEE_SAVED_REGS
	srl	t2, t2, t1
	andi	t2, t2, 1
	mv	a0, tp
	beqz	t2, 1f
	save_callee_saved
1:	slli	t1, t1, 3
	add	a1, a0, t1		/* a1 = &frame.x[rs2] */
	call	bh_trap_fast_store	/* a0 = 0 if emulated */
	bnez	a0, general_path
	csrr	t0, sepc
	csrr	t1, htinst
	andi	t1, t1, 2
	add	t0, t0, t1
	addi	t0, t0, 2
	csrw	sepc, t0
	ld	t0, BH_HART_EXITS(tp)
	addi	t0, t0, 1
	sd	t0, BH_HART_EXITS(tp)
	mv	a0, tp
	/* fall through */

	/* After a fast path (a0 = the frame it answered): only the registers the entry saved. */
resume_saved:
	csrw	sscratch, a0
	ld	x1, 1*8(a0)
	ld	x2, 2*8(a0)
	ld	x4, 4*8(a0)
	ld	x5, 5*8(a0)
	ld	x6, 6*8(a0)
	ld	x7, 7*8(a0)
	ld	x11, 11*8(a0)
	ld	x12, 12*8(a0)
	ld	x13, 13*8(a0)
	ld	x14, 14*8(a0)
	ld	x15, 15*8(a0)
	ld	x16, 16*8(a0)
	ld	x17, 17*8(a0)
	ld	x28, 28*8(a0)
	ld	x29, 29*8(a0)
	ld	x30, 30*8(a0)
	ld	x31, 31*8(a0)
	ld	x10, 10*8(a0)
	sret

	/*
	 * A trap taken by the hypervisor itself: a CSR probe at boot or a bug.
	 * Restore sp (sscratch becomes 0 again) and hand a stack frame to C.
	 */
hyp_trap:
	csrrw	sp, sscratch, sp
	addi	sp, sp, -(34*8)
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	addi	t0, sp, 34*8
	sd	t0, 2*8(sp)
	csrr	t0, sepc
	sd	t0, 32*8(sp)
	mv	a0, sp
	call	bh_trap_from_hypervisor
	/* Only a tolerated probe trap returns here; sepc was advanced in C. */
	ld	t0, 32*8(sp)
	csrw	sepc, t0
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	addi	sp, sp, 34*8
	sret
