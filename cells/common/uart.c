/* SPDX-License-Identifier: Apache-2.0 */
/* NS16550 polled transmit / receive (see uart.h). */
#include "uart.h"

#define UART_REFCLK_HZ 1843200U
#define UART_BAUD      115200U

static inline unsigned char uart_rd(unsigned int reg)
{
	return *(volatile unsigned char *)(UART_BASE + reg);
}

static inline void uart_wr(unsigned int reg, unsigned char v)
{
	*(volatile unsigned char *)(UART_BASE + reg) = v;
}

void uart_init(void)
{
	unsigned int div = UART_REFCLK_HZ / (UART_BAUD * 16U);

	uart_wr(UART_IER, 0x00);
	uart_wr(UART_LCR, UART_LCR_DLAB);
	uart_wr(UART_DLL, (unsigned char)(div & 0xffU));
	uart_wr(UART_DLM, (unsigned char)((div >> 8) & 0xffU));
	uart_wr(UART_LCR, UART_LCR_8N1);
	uart_wr(UART_FCR, UART_FCR_ENABLE_CLEAR);
}

void uart_enable_rx_irq(void)
{
	uart_wr(UART_IER, UART_IER_ERBFI);
}

void uart_putc(char c)
{
	while ((uart_rd(UART_LSR) & UART_LSR_THRE) == 0U)
		;
	uart_wr(UART_THR, (unsigned char)c);
}

void uart_write(const char *s, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		uart_putc(s[i]);
}

void uart_puts(const char *s)
{
	while (*s != '\0')
		uart_putc(*s++);
}

int uart_getc_nowait(void)
{
	if ((uart_rd(UART_LSR) & UART_LSR_DR) == 0U)
		return -1;
	return (int)uart_rd(UART_RBR);
}
