/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rtos-contract's shared-memory channels (docs/shmem.md): found in its
 * device tree (compatible "bulkhead,channel"), used through the bhshm
 * endpoint. Without such a node the guest is exactly RT-Thread's contract.
 */
#ifndef RTOS_CONTRACT_CHANNEL_H
#define RTOS_CONTRACT_CHANNEL_H

/* Reads the channels of the DTB, opens them, enables their doorbell
 * interrupts and installs the line and interrupt hooks. After rtos_uart_irq_init. */
void channels_init(unsigned long dtb);

/* Once a second: publishes "sample <seconds>" in every channel it may write. */
void channels_second(unsigned long seconds);

#endif
