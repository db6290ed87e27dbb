/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/log.h"
#include "arch/cpu.h"
#include "bulkhead/console_out.h"
#include "bulkhead/format.h"
#include <stdarg.h>

#define LOG_LINE_MAX 200U

void bh_log(int level, const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    if (level > CONFIG_LOG_LEVEL) {
        return;
    }
    va_start(ap, fmt);
    size_t len = bh_vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    bh_console_write_line("bulkhead", line, len);
}

void bh_panic(const char *fmt, ...)
{
    static const char panic_line[] = "PANIC: hypervisor bug, this hart stops";
    char line[LOG_LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    size_t len = bh_vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    bh_console_write_line("bulkhead", panic_line, sizeof(panic_line) - 1U);
    bh_console_write_line("bulkhead", line, len);
    for (;;) {
        arch_wait_for_interrupt();
    }
}
