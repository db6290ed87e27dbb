/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stdout for picolibc in RT-Thread (copied by cells/rtthread/build.py into
 * applications/ of the build's copy of bsp/qemu-virt64-riscv, which compiles
 * every .c there; never into the RT-Thread checkout).
 *
 * picolibc's stdio has no device of its own: the application defines the
 * stream `stdout` points to (picolibc <stdio.h>, "FDEV_SETUP_STREAM"). RT-Thread
 * links printf for its libc layer but prints through rt_kprintf, so the stream
 * hands every character to rt_kprintf, which writes to the console device (the
 * cell's NS16550).
 */
#include <stdio.h>
#include <rtthread.h>

static int bulkhead_stdout_put(char c, FILE *stream)
{
	(void)stream;
	rt_kprintf("%c", c);
	return (unsigned char)c;
}

static FILE bulkhead_stdout = FDEV_SETUP_STREAM(bulkhead_stdout_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdout = &bulkhead_stdout;
