/* SPDX-License-Identifier: Apache-2.0 */
/* Hypervisor messages: one tagged line each, "[bulkhead] ...", filtered by CONFIG_LOG_LEVEL. */
#ifndef BULKHEAD_LOG_H
#define BULKHEAD_LOG_H

#include "autoconf.h"

#define BH_LOG_ERROR 1
#define BH_LOG_WARN  2
#define BH_LOG_INFO  3
#define BH_LOG_DEBUG 4

/* Supports %s %c %d %u %x %lu %lx %ld and a zero-padded width (%016lx). */
void bh_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the message and parks this hart for good: for hypervisor bugs only. */
void bh_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define bh_info(...)  bh_log(BH_LOG_INFO, __VA_ARGS__)
#define bh_warn(...)  bh_log(BH_LOG_WARN, __VA_ARGS__)
#define bh_error(...) bh_log(BH_LOG_ERROR, __VA_ARGS__)

#endif
