/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RT-Thread contract shared by rtos-contract and victim
 * (rtos_contract.h).
 */
#include "rtos_contract.h"

#include "csr.h"
#include "print.h"
#include "sbi.h"
#include "uart.h"

/*
 * PLIC register map (RISC-V PLIC specification v1.0.0, ch. "Memory Map"):
 *   source priority  base + 4 * source
 *   enable bits      base + 0x2000 + 0x80 * context + 4 * (source / 32)
 *   threshold        base + 0x200000 + 0x1000 * context
 *   claim/complete   threshold + 4
 */
#define PLIC_BASE	      0x0c000000UL
#define PLIC_PRIORITY(src)    (PLIC_BASE + 4UL * (src))
#define PLIC_ENABLE(ctx, src) (PLIC_BASE + 0x2000UL + 0x80UL * (ctx) + 4UL * ((src) / 32UL))
#define PLIC_THRESHOLD(ctx)   (PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)	      (PLIC_THRESHOLD(ctx) + 4UL)

#define LINE_MAX 128

/*
 * RT-Thread's heap runs from the image end to image end + 100 MiB and
 * rt_system_heap_init writes the allocator's end sentinel there at boot,
 * so the real image needs guest RAM up to 0x86631000 (docs/cells/rtthread.md).  These
 * guests write the same last word, so a cell with too little RAM fails
 * here exactly as it would with RT-Thread.
 */
#define RTOS_HEAP_END 0x86631000UL
#define HEAP_MARK     0x5254546865617021UL /* "RTTheap!" */

static unsigned long plic_ctx;	 /* 2 * hartid + 1 */
static unsigned long next_event; /* absolute `time` of the next tick */
static unsigned long ticks;
static char line[LINE_MAX];
static unsigned long line_len;
static const char *prompt; /* NULL: this guest shows no prompt */
static int (*line_hook)(const char *line, unsigned long len);
static void (*irq_hook)(unsigned int src);
static int prompt_open; /* the prompt ends the output so far */

static inline void mmio_w32(unsigned long addr, unsigned int v)
{
	*(volatile unsigned int *)addr = v;
}

static inline unsigned int mmio_r32(unsigned long addr)
{
	return *(volatile unsigned int *)addr;
}

/* Output that is not an answer to input starts below an open prompt, as
 * RT-Thread's rt_kprintf does after msh has printed "msh />". */
static void leave_prompt(void)
{
	if (prompt_open) {
		print_str("\r\n");
		prompt_open = 0;
	}
}

static void show_prompt(void)
{
	if (prompt != (const char *)0) {
		print_str(prompt);
		prompt_open = 1;
	}
}

void rtos_prompt_start(const char *text)
{
	prompt = text;
	show_prompt();
}

void rtos_print_num_line(const char *prefix, unsigned long n)
{
	leave_prompt();
	print_str(prefix);
	print_dec((long)n);
	print_str("\r\n");
}

void rtos_print_line(const char *text)
{
	leave_prompt();
	print_str(text);
	print_str("\r\n");
}

void rtos_set_hooks(int (*on_line)(const char *line, unsigned long len),
		    void (*on_irq)(unsigned int src))
{
	line_hook = on_line;
	irq_hook = on_irq;
}

void rtos_plic_enable(unsigned int src)
{
	mmio_w32(PLIC_PRIORITY(src), 1U);
	mmio_w32(PLIC_ENABLE(plic_ctx, src),
		 mmio_r32(PLIC_ENABLE(plic_ctx, src)) | (1U << (src % 32U)));
}

void rtos_heap_touch(const char *who)
{
	volatile unsigned long *last = (volatile unsigned long *)(RTOS_HEAP_END - 8UL);

	*last = HEAP_MARK;
	if (*last != HEAP_MARK) {
		print_str(who);
		print_str(": RAM at ");
		print_hex(RTOS_HEAP_END - 8UL);
		print_str(" does not hold data\r\n");
	}
}

void rtos_uart_irq_init(unsigned long hartid)
{
	/* S-mode context of this hart on QEMU virt: contexts alternate
	 * M-mode / S-mode per hart, so S is 2 * hartid + 1. */
	plic_ctx = 2UL * hartid + 1UL;

	/* Priority 0 means "never interrupt" (PLIC spec "Interrupt
	 * Priorities"), so the UART source needs at least 1. */
	mmio_w32(PLIC_PRIORITY(UART_IRQ), 1U);
	/* Read-modify-write of the one enable word, as RT-Thread does. */
	mmio_w32(PLIC_ENABLE(plic_ctx, UART_IRQ),
		 mmio_r32(PLIC_ENABLE(plic_ctx, UART_IRQ)) | (1U << (UART_IRQ % 32U)));
	/* Threshold 0: every priority > 0 is delivered. */
	mmio_w32(PLIC_THRESHOLD(plic_ctx), 0U);

	uart_enable_rx_irq();
}

void rtos_timer_start(void)
{
	next_event = rdtime() + TICK_PERIOD;
	sbi_legacy_set_timer(next_event);
}

unsigned long rtos_timer_deadline(void)
{
	return next_event;
}

unsigned long rtos_timer_tick(void)
{
	unsigned long now;

	ticks++;
	if (ticks % TICK_HZ == 0UL)
		rtos_print_num_line("tick ", ticks / TICK_HZ);

	/* Next deadline one period after the previous one, so the second
	 * count does not drift with handler latency; if the guest fell
	 * more than a period behind (stopped in a debugger, host stall),
	 * restart from now instead of firing a burst of late ticks.
	 * set_timer also clears the pending STIP (SBI v2.0 ch. 5.1). */
	next_event += TICK_PERIOD;
	now = rdtime();
	if (next_event <= now)
		next_event = now + TICK_PERIOD;
	sbi_legacy_set_timer(next_event);
	return ticks;
}

static void rx_char(int c)
{
	if (c == '\r' || c == '\n') {
		if ((line_len > 0UL) && (line_hook != 0) && line_hook(line, line_len)) {
			line_len = 0;
			show_prompt();
		} else if (line_len > 0UL) {
			leave_prompt();
			print_str("echo: ");
			uart_write(line, line_len);
			print_str("\r\n");
			line_len = 0;
			show_prompt();
		}
		return;
	}
	/* Characters past LINE_MAX are dropped; the line is still echoed. */
	if (line_len < LINE_MAX)
		line[line_len++] = (char)c;
}

void rtos_external_irq(void)
{
	/* One claim and one complete per interrupt, like RT-Thread's
	 * plic_handle_irq (PLIC spec "Interrupt Claim Process" and
	 * "Interrupt Completion"); a claim of 0 means nothing pending. */
	unsigned int src = mmio_r32(PLIC_CLAIM(plic_ctx));
	int c;

	if (src == 0U)
		return;
	if (src == UART_IRQ) {
		/* Drain the receive FIFO: the interrupt stays asserted
		 * while LSR.DR is set. */
		while ((c = uart_getc_nowait()) >= 0)
			rx_char(c);
	} else if (irq_hook != 0) {
		irq_hook(src);
	}
	mmio_w32(PLIC_CLAIM(plic_ctx), src);
}

void rtos_exception(const char *who, const struct trap_frame *f)
{
	print_str(who);
	print_str(": exception scause=");
	print_hex(f->scause);
	print_str(" sepc=");
	print_hex(f->sepc);
	print_str(" stval=");
	print_hex(f->stval);
	print_str("\r\n");
	for (;;)
		__asm__ volatile("");
}
