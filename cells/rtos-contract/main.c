/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rtos-contract: a stand-in for RT-Thread 5.0.0 bsp/qemu-virt64-riscv
 * (S-mode build) that uses exactly the interfaces listed in
 * docs/cells/rtthread.md, so CI can prove a cell serves that image without the
 * real one.  What it touches, and nothing else:
 *
 *   - entry/load 0x80200000, one hart, a0 = hart id kept, a1 (DTB) ignored,
 *     paging and FPU off;
 *   - RAM up to 0x86631000 (the end of RT-Thread's heap, touched at boot);
 *   - SBI: only legacy set_timer (EID 0x00, SBI v2.0 ch. 5.1), 100 Hz;
 *   - `time` via rdtime;
 *   - NS16550 at 0x10000000: RT-Thread's init, polled transmit, receive
 *     by interrupt (IER = ERBFI) on PLIC source 10;
 *   - PLIC at 0x0c000000, only the S-mode context c = 2*hartid + 1
 *     (QEMU virt numbers contexts M0, S0, M1, S1, ...): source priority,
 *     one enable word, threshold, claim/complete;
 *   - stvec in direct mode, sie = STIE | SEIE, sstatus.SIE = 1, an idle
 *     loop that spins (no wfi).
 *
 * Output: "rtos-contract: boot hart <a0>", RT-Thread's prompt "msh />"
 * (no newline, as msh leaves it), then "tick <n>" every second (every 100
 * timer interrupts) on a line of its own, and "echo: <line>" for every
 * non-empty line received (terminated by CR or LF), each answer followed by
 * the prompt again.  All output is polled.
 *
 * The contract itself (heap write, PLIC, UART receive, tick) lives in
 * cells/common/rtos_contract.c, shared with cells/hostile/victim.c.
 *
 * Beyond the contract, only when its device tree has shared-memory channels
 * (compatible "bulkhead,channel", docs/shmem.md): each is opened with the
 * bhshm endpoint, its doorbell source enabled in the same PLIC context,
 * "sample <seconds>" published every second, messages received printed, and
 * the commands "send <text>" and "reboot" (cells/rtos-contract/channel.c).
 */
#include "channel.h"
#include "csr.h"
#include "rtos_contract.h"
#include "trap.h"
#include "uart.h"

#define WHO "rtos-contract"

void guest_main(unsigned long hartid, unsigned long dtb);

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_TIMER) {
			unsigned long t = rtos_timer_tick();
			if (t % TICK_HZ == 0UL)
				channels_second(t / TICK_HZ);
		} else if (code == IRQ_S_EXT)
			rtos_external_irq();
		/* Nothing else is enabled in sie. */
		return;
	}

	/* An exception is a bug in this guest or in the cell around it:
	 * report it and stop, like RT-Thread's exception dump does. */
	rtos_exception(WHO, f);
}

void guest_main(unsigned long hartid, unsigned long dtb)
{
	uart_init();
	rtos_print_num_line(WHO ": boot hart ", hartid);

	csr_write(stvec, (unsigned long)trap_entry); /* direct mode */
	rtos_heap_touch(WHO);
	rtos_uart_irq_init(hartid);
	/* RT-Thread ignores the device tree; this stand-in reads it only for
	 * shared-memory channels (none: nothing changes). */
	channels_init(dtb);
	rtos_timer_start();
	rtos_prompt_start("msh />");

	csr_set(sie, SIE_STIE | SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);

	/* RT-Thread's idle thread spins; there is no wfi on purpose. */
	for (;;)
		__asm__ volatile("");
}
