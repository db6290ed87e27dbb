/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the exit counters (counting: the inline functions of stats.h). */
#include "bulkhead/stats.h"
#include "bulkhead/hart.h"

uint64_t bh_stat_get(uint32_t hartid, enum bh_stat stat)
{
    return bh_hart_state[hartid].stats.count[stat];
}

uint64_t bh_stat_exits(uint32_t hartid)
{
    return bh_hart_state[hartid].stats.exits;
}

const char *bh_stat_name(enum bh_stat stat)
{
    static const char *const stat_names[BH_STAT_COUNT] = {
        [BH_STAT_SBI_LEGACY] = "sbi_legacy",
        [BH_STAT_SBI_BASE] = "sbi_base",
        [BH_STAT_SBI_TIME] = "sbi_time",
        [BH_STAT_SBI_IPI] = "sbi_ipi",
        [BH_STAT_SBI_RFENCE] = "sbi_rfence",
        [BH_STAT_SBI_HSM] = "sbi_hsm",
        [BH_STAT_SBI_SRST] = "sbi_srst",
        [BH_STAT_SBI_DBCN] = "sbi_dbcn",
        [BH_STAT_SBI_BULKHEAD] = "sbi_bulkhead",
        [BH_STAT_SBI_UNKNOWN] = "sbi_unknown",
        [BH_STAT_MMIO_VPLIC] = "mmio_vplic",
        [BH_STAT_MMIO_VUART] = "mmio_vuart",
        [BH_STAT_IRQ_EXTERNAL] = "irq_external",
        [BH_STAT_IRQ_SOFTWARE] = "irq_software",
        [BH_STAT_VIRTUAL_INSN] = "virtual_insn",
        [BH_STAT_FAULT] = "fault",
        [BH_STAT_RESTART] = "restart",
        [BH_STAT_VPLIC_DENIED] = "vplic_denied",
        [BH_STAT_DEVICE_IRQ] = "device_irq",
        [BH_STAT_CONSOLE_DROPPED] = "console_dropped",
        [BH_STAT_CONSOLE_REPLACED] = "console_replaced",
        [BH_STAT_IRQ_TIMER] = "irq_timer",
        [BH_STAT_MMIO_DOORBELL] = "mmio_doorbell",
        [BH_STAT_DOORBELL_DENIED] = "doorbell_denied",
        [BH_STAT_DOORBELL_MERGED] = "doorbell_merged",
        [BH_STAT_HART_MISSING] = "hart_missing",
        [BH_STAT_MMIO_VAPLIC] = "mmio_vaplic",
        [BH_STAT_VAPLIC_DENIED] = "vaplic_denied",
    };

    return stat_names[stat];
}
