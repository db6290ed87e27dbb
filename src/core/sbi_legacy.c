/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBI v0.1 legacy calls (SBI spec v2.0, ch. 5), the only ones old RTOS
 * images use: set_timer, console_putchar, console_getchar, shutdown.
 */
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"

long bh_sbi_legacy(struct bh_hart *h, uint64_t eid, const uint64_t *args)
{
    long ret = SBI_SUCCESS;

    switch (eid) {
    case SBI_LEGACY_SET_TIMER: arch_set_guest_timer(args[0]); break;
    case SBI_LEGACY_CONSOLE_PUTCHAR: bh_console_output_putc(h->console_output, h->cell, (char)args[0]); break;
    case SBI_LEGACY_CONSOLE_GETCHAR: ret = bh_console_cell_getc(h->cell); break;
    default: /* SBI_LEGACY_SHUTDOWN: shuts down this cell, not the machine */
        bh_cell_shutdown(h, 0U, "legacy SBI shutdown");
        break;
    }
    return ret;
}
