/*
 * rtos-contract: a stand-in for RT-Thread 5.0.0 bsp/qemu-virt64-riscv
 * (S-mode build) that uses exactly the interfaces listed in DESIGN.md
 * "Guest contracts", so CI can prove a cell serves that image without the
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
 * Output: "rtos-contract: boot hart <a0>", then "tick <n>" every second
 * (every 100 timer interrupts), and "echo: <line>" for every non-empty
 * line received (terminated by CR or LF).  All output is polled.
 */
#include "csr.h"
#include "print.h"
#include "sbi.h"
#include "trap.h"
#include "uart.h"

/* /cpus/timebase-frequency of QEMU virt (dts/qemu-virt.dts: 0x989680). */
#define TIMEBASE_HZ	10000000UL
#define TICK_HZ		100UL
#define TICK_PERIOD	(TIMEBASE_HZ / TICK_HZ)	/* 100000 time ticks */

/*
 * PLIC register map (RISC-V PLIC specification v1.0.0, ch. "Memory Map"):
 *   source priority  base + 4 * source
 *   enable bits      base + 0x2000 + 0x80 * context + 4 * (source / 32)
 *   threshold        base + 0x200000 + 0x1000 * context
 *   claim/complete   threshold + 4
 */
#define PLIC_BASE		0x0c000000UL
#define PLIC_PRIORITY(src)	(PLIC_BASE + 4UL * (src))
#define PLIC_ENABLE(ctx, src)	(PLIC_BASE + 0x2000UL + 0x80UL * (ctx) + 4UL * ((src) / 32UL))
#define PLIC_THRESHOLD(ctx)	(PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)		(PLIC_THRESHOLD(ctx) + 4UL)

#define LINE_MAX	128

/*
 * RT-Thread's heap runs from the image end to image end + 100 MiB and
 * rt_system_heap_init writes the allocator's end sentinel there at boot,
 * so the real image needs guest RAM up to 0x86631000 (DESIGN.md).  This
 * guest writes the same last word, so a cell with too little RAM fails
 * here exactly as it would with RT-Thread.
 */
#define RTOS_HEAP_END	0x86631000UL
#define HEAP_MARK	0x5254546865617021UL	/* "RTTheap!" */

static unsigned long plic_ctx;		/* 2 * hartid + 1 */
static unsigned long next_event;	/* absolute `time` of the next tick */
static unsigned long ticks;
static char line[LINE_MAX];
static unsigned long line_len;

void guest_main(unsigned long hartid, unsigned long dtb);

static inline void mmio_w32(unsigned long addr, unsigned int v)
{
	*(volatile unsigned int *)addr = v;
}

static inline unsigned int mmio_r32(unsigned long addr)
{
	return *(volatile unsigned int *)addr;
}

static void plic_init(unsigned long hartid)
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
}

static void heap_touch(void)
{
	volatile unsigned long *last = (volatile unsigned long *)(RTOS_HEAP_END - 8UL);

	*last = HEAP_MARK;
	if (*last != HEAP_MARK) {
		print_str("rtos-contract: RAM at ");
		print_hex(RTOS_HEAP_END - 8UL);
		print_str(" does not hold data\r\n");
	}
}

static void print_num_line(const char *prefix, unsigned long n)
{
	print_str(prefix);
	print_dec((long)n);
	print_str("\r\n");
}

static void timer_tick(void)
{
	unsigned long now;

	ticks++;
	if (ticks % TICK_HZ == 0UL)
		print_num_line("tick ", ticks / TICK_HZ);

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
}

static void rx_char(int c)
{
	if (c == '\r' || c == '\n') {
		if (line_len > 0UL) {
			print_str("echo: ");
			uart_write(line, line_len);
			print_str("\r\n");
			line_len = 0;
		}
		return;
	}
	/* Characters past LINE_MAX are dropped; the line is still echoed. */
	if (line_len < LINE_MAX)
		line[line_len++] = (char)c;
}

static void external_irq(void)
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
	}
	mmio_w32(PLIC_CLAIM(plic_ctx), src);
}

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_TIMER)
			timer_tick();
		else if (code == IRQ_S_EXT)
			external_irq();
		/* Nothing else is enabled in sie. */
		return;
	}

	/* An exception is a bug in this guest or in the cell around it:
	 * report it and stop, like RT-Thread's exception dump does. */
	print_str("rtos-contract: exception scause=");
	print_hex(f->scause);
	print_str(" sepc=");
	print_hex(f->sepc);
	print_str(" stval=");
	print_hex(f->stval);
	print_str("\r\n");
	for (;;)
		__asm__ volatile("");
}

void guest_main(unsigned long hartid, unsigned long dtb)
{
	(void)dtb;	/* RT-Thread ignores the device tree */

	uart_init();
	print_num_line("rtos-contract: boot hart ", hartid);

	csr_write(stvec, (unsigned long)trap_entry);	/* direct mode */
	heap_touch();
	plic_init(hartid);
	uart_enable_rx_irq();

	next_event = rdtime() + TICK_PERIOD;
	sbi_legacy_set_timer(next_event);

	csr_set(sie, SIE_STIE | SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);

	/* RT-Thread's idle thread spins; there is no wfi on purpose. */
	for (;;)
		__asm__ volatile("");
}
