/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crash: crash and hang on purpose, one point per boot (cursor as in
 * memprobe; needs fault-policy "restart" and two harts).
 *
 *   0 jump-victim-entry  jump to 0x80200000 (the victim's entry, the
 *                        hypervisor's host address): fetch fault, cause 20
 *   1 jump-vuart         jump into the emulated UART page: cause 20
 *   2 stack-below-ram    a push with sp at the bottom of RAM: store, cause 23
 *   3 second-hart-crash  virtual hart 1 jumps to the victim's host RAM while
 *                        virtual hart 0 spins with interrupts off: the
 *                        fault names vhart 1, and the hypervisor must still
 *                        park vhart 0 to restart the cell
 *   4..4+BOTH-1          both-harts-crash: both harts fault at about the same
 *                        moment: vhart 1 first, vhart 0 0, 25, 50, ... us
 *                        later, so that some rounds fault while the
 *                        hypervisor still handles the other hart's fault:
 *                        one restart each
 *   then STORM boots     storm: boots in a row that fault at once (a restart
 *                        storm: the victim must not notice)
 *   last                 hang: both harts spin with interrupts off, forever
 *
 * Output:  crash-point <k> <name> target <addr>
 */
#include "csr.h"
#include "hostile.h"

#define VICTIM_HOST_IMAGE 0x88200000UL
#define BOTH		  40UL
#define BOTH_STEP_US	  25UL
#define STORM		  100UL
#define FIRST_STORM	  (4UL + BOTH)

static volatile int go;

static void jump(unsigned long target)
{
	__asm__ volatile("jr %0" ::"r"(target) : "memory");
	__builtin_unreachable();
}

static void second_crash(void)
{
	say("crash: vhart 1 jumps to %x", VICTIM_HOST_IMAGE);
	jump(VICTIM_HOST_IMAGE);
}

static volatile int jumped;

/* vhart 1 faults first and says so; vhart 0 follows a few microseconds
 * later, while the hypervisor is still busy with vhart 1's fault. */
static void second_both(void)
{
	while (!go)
		;
	jumped = 1;
	jump(0x80000000UL);
}

static void second_hang(void)
{
	say("crash: vhart 1 hangs");
	hang();
}

void crash_run(struct persist *p)
{
	unsigned long k = p->cursor;

	pace();
	persist_cursor(p, k + 1UL);
	switch (k) {
	case 0:
		say("crash-point 0 jump-victim-entry target %x", 0x80200000UL);
		jump(0x80200000UL);
		break;
	case 1:
		say("crash-point 1 jump-vuart target %x", 0x10000000UL);
		jump(0x10000000UL);
		break;
	case 2:
		say("crash-point 2 stack-below-ram target %x", HOSTILE_RAM_BASE - 8UL);
		__asm__ volatile(
			"mv sp, %0\n addi sp, sp, -16\n sd ra, 8(sp)" ::"r"(HOSTILE_RAM_BASE)
			: "memory");
		break;
	case 3:
		say("crash-point 3 second-hart-crash target %x", VICTIM_HOST_IMAGE);
		if (start_second_hart(second_crash) != 0)
			say("crash: hart_start failed");
		hang();
	default:
		if (k < FIRST_STORM) {
			unsigned long us = (k - 4UL) * BOTH_STEP_US;

			say("crash-point %u both-harts-crash target %x", k, 0x88000000UL);
			go = 0;
			if (start_second_hart(second_both) != 0)
				say("crash: hart_start failed");
			/* vhart 1 is running once hart_status says so */
			while (sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 1, 0, 0, 0, 0, 0)
				       .value != SBI_HSM_STATE_STARTED)
				;
			go = 1;
			while (!jumped)
				;
			for (unsigned long t = rdtime() + us * (TIMEBASE_HZ / 1000000UL);
			     rdtime() < t;)
				;
			jump(0x88000000UL);
		}
		if (k < FIRST_STORM + STORM) {
			say("crash-point %u storm target %x", k, 0x0UL);
			jump(0x0UL);
		}
		if (k == FIRST_STORM + STORM) {
			say("crash-point %u hang target %x", k, 0x0UL);
			if (start_second_hart(second_hang) != 0)
				say("crash: hart_start failed");
			/* Let vhart 1 print before this hart stops taking anything. */
			for (unsigned long t = rdtime() + TIMEBASE_HZ / 10UL; rdtime() < t;)
				;
			if (has_word("pristine"))
				pristine_summary(p);
			say("crash: vhart 0 hangs");
			hang();
		}
		break;
	}
	say("crash: all points done");
}

/* crash-end: one last fault after the other attacks (policy "stop"). */
void crash_end(void)
{
	say("crash-end: jump to %x", 0x80000000UL);
	jump(0x80000000UL);
	hang();
}
