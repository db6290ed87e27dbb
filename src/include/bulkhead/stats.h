/*
 * Exit counters per physical hart and cause. Each hart increments only its
 * own row, so no locks; a row is read as a whole by whoever prints it
 * (stats_report.h).
 * Printed format (one line per hart, documented in docs/stats.md):
 *   stats <reason> cell=<name> hart=<p> vhart=<v> exits=<n> <cause>=<n> ...
 */
#ifndef BULKHEAD_STATS_H
#define BULKHEAD_STATS_H

#include <stdint.h>

enum bh_stat {
    BH_STAT_SBI_LEGACY,
    BH_STAT_SBI_BASE,
    BH_STAT_SBI_TIME,
    BH_STAT_SBI_IPI,
    BH_STAT_SBI_RFENCE,
    BH_STAT_SBI_HSM,
    BH_STAT_SBI_SRST,
    BH_STAT_SBI_DBCN,
    BH_STAT_SBI_BULKHEAD,
    BH_STAT_SBI_UNKNOWN,
    BH_STAT_MMIO_VPLIC,
    BH_STAT_MMIO_VUART,
    BH_STAT_IRQ_EXTERNAL,
    BH_STAT_IRQ_SOFTWARE,
    BH_STAT_VIRTUAL_INSN,
    BH_STAT_FAULT,
    BH_STAT_RESTART,
    BH_STAT_VPLIC_DENIED,
    BH_STAT_DEVICE_IRQ,
    BH_STAT_CONSOLE_DROPPED,  /* console bytes over the cell's output budget */
    BH_STAT_CONSOLE_REPLACED, /* control characters and broken UTF-8 replaced */
    BH_STAT_IRQ_TIMER,        /* the hart's wakeup: console output held for its cell is due */
    BH_STAT_COUNT
};

void bh_stat_inc(uint32_t hartid, enum bh_stat stat);
void bh_stat_add(uint32_t hartid, enum bh_stat stat, uint64_t n);
void bh_stat_exit(uint32_t hartid);
uint64_t bh_stat_get(uint32_t hartid, enum bh_stat stat);
uint64_t bh_stat_exits(uint32_t hartid);
/* The counter's name in the printed format. */
const char *bh_stat_name(enum bh_stat stat);

#endif
