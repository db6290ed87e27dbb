/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal NS16550 driver at 0x10000000 (QEMU virt UART0, byte-spaced
 * registers, IRQ 10): polled transmit, receive by polling LSR.DR or from
 * the guest's interrupt handler.  Register offsets and bits as in the
 * 16550 datasheet (and RT-Thread's qemu-virt64-riscv drv_uart.h).
 */
#ifndef CELLS_UART_H
#define CELLS_UART_H

#define UART_BASE 0x10000000UL
#define UART_IRQ  10

#define UART_RBR 0 /* receive buffer (read, DLAB = 0) */
#define UART_THR 0 /* transmit holding (write, DLAB = 0) */
#define UART_DLL 0 /* divisor latch low (DLAB = 1) */
#define UART_IER 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */

#define UART_IER_ERBFI	      0x01 /* received data available interrupt */
#define UART_LCR_8N1	      0x03
#define UART_LCR_DLAB	      0x80
#define UART_FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear RX and TX */
#define UART_LSR_DR	      0x01 /* data ready */
#define UART_LSR_THRE	      0x20 /* transmit holding register empty */

/* RT-Thread's init sequence: IER off, 115200 8N1 from the 1.8432 MHz
 * reference clock, FIFOs on and cleared. */
void uart_init(void);
/* IER = ERBFI: interrupt on received data (the only source RT-Thread uses). */
void uart_enable_rx_irq(void);

void uart_putc(char c); /* waits for LSR.THRE */
void uart_write(const char *s, unsigned long len);
void uart_puts(const char *s);
/* Next received byte, or -1 if LSR.DR is clear. */
int uart_getc_nowait(void);

#endif
