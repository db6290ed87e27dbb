/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The part of RT-Thread 5.0.0's bsp/qemu-virt64-riscv contract
 * (docs/cells/rtthread.md) that the guests rtos-contract and hostile's victim
 * share: the heap-end write, the PLIC S-mode context for the NS16550's
 * source 10, receive by interrupt with "echo: <line>" per line, and the
 * 100 Hz tick on legacy SBI set_timer (EID 0x00, SBI v2.0 ch. 5.1) with
 * "tick <n>" every second.  Registers touched: those of cells/common/uart.c
 * and, on the PLIC at 0x0c000000, the source priority, one enable word,
 * the threshold and claim/complete of context 2*hartid + 1.
 */
#ifndef CELLS_RTOS_CONTRACT_H
#define CELLS_RTOS_CONTRACT_H

#include "trap.h"

/* /cpus/timebase-frequency of QEMU virt (dts/qemu-virt.dts: 0x989680). */
#define TIMEBASE_HZ 10000000UL
#define TICK_HZ	    100UL
#define TICK_PERIOD (TIMEBASE_HZ / TICK_HZ) /* 100000 time ticks */

/* Prints text as a prompt (no newline) now and after every echoed line;
 * the next unrelated line starts below it. Without this call, no prompt. */
void rtos_prompt_start(const char *text);

/* "<prefix><n>\r\n", polled, below an open prompt. */
void rtos_print_num_line(const char *prefix, unsigned long n);

/* Writes the last word of RT-Thread's heap (guest RAM must reach
 * 0x86631000); prints "<who>: RAM at ... does not hold data" if it does
 * not read back. */
void rtos_heap_touch(const char *who);

/* Source 10 at priority 1, enabled in this hart's S-mode context,
 * threshold 0; then the UART's receive interrupt (IER = ERBFI). */
void rtos_uart_irq_init(unsigned long hartid);

/* Arms the first tick one period from now. */
void rtos_timer_start(void);

/* The deadline of the pending tick (absolute `time`). */
unsigned long rtos_timer_deadline(void);

/* A timer interrupt: counts it, prints "tick <n>" every TICK_HZ ticks,
 * arms the next one; returns the tick count. */
unsigned long rtos_timer_tick(void);

/* An external interrupt: one claim, the UART's receive FIFO drained into
 * the line buffer (echoed per CR/LF), one complete. */
void rtos_external_irq(void);

/*
 * Extensions beyond RT-Thread's contract, used by rtos-contract when its
 * device tree gives it shared-memory channels (cells/rtos-contract/channel.c).
 * A line hook sees every received line first and returns 1 if it handled it
 * (no echo); an interrupt hook gets every claimed source other than the
 * UART's before it is completed. Either may be 0.
 */
void rtos_set_hooks(int (*line_hook)(const char *line, unsigned long len),
		    void (*irq_hook)(unsigned int src));
/* Source at priority 1, enabled in this hart's S-mode context (after rtos_uart_irq_init). */
void rtos_plic_enable(unsigned int src);
/* "<text>\r\n", polled, below an open prompt. */
void rtos_print_line(const char *text);

/* An exception: "<who>: exception scause=... sepc=... stval=...", then
 * spin forever, like RT-Thread's exception dump. */
void rtos_exception(const char *who, const struct trap_frame *f) __attribute__((noreturn));

#endif
