/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reent.h for RT-Thread's newlib glue on picolibc (copied into the build by
 * cells/rtthread/build.py; never into the RT-Thread checkout).
 *
 * RT-Thread 5.0.0 has one C library layer for GCC,
 * components/libc/compilers/newlib, whose syscalls.c includes <reent.h> and
 * stores error codes through `struct _reent *ptr` (ptr->_errno). picolibc,
 * the C library of Debian's gcc-riscv64-unknown-elf, has no reentrancy
 * structure: its errno is a plain (thread-local) variable and nothing ever
 * passes a struct _reent. The glue's _r functions are therefore never called
 * by picolibc; they only have to compile. _off_t, _ssize_t and _CLOCK_T_ come
 * from picolibc's own <sys/_types.h>.
 */
#ifndef BULKHEAD_PICOLIBC_REENT_H
#define BULKHEAD_PICOLIBC_REENT_H

#include <sys/_types.h>

struct _reent {
	int _errno;
};

#endif
