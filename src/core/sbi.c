/* SPDX-License-Identifier: Apache-2.0 */
/* SBI dispatch: one table lookup, then the extension's handler. */
#include "bulkhead/sbi.h"
#include "arch/regs.h"
#include "bulkhead/stats.h"

struct sbi_extension {
    uint64_t eid;
    bh_sbi_handler handler;
    enum bh_stat stat;
};

/* Ordered by how often guests call them: the timer first. */
static const struct sbi_extension extensions[] = {
    {SBI_EXT_TIME, bh_sbi_time, BH_STAT_SBI_TIME},       {SBI_EXT_IPI, bh_sbi_ipi, BH_STAT_SBI_IPI},
    {SBI_EXT_RFENCE, bh_sbi_rfence, BH_STAT_SBI_RFENCE}, {SBI_EXT_DBCN, bh_sbi_dbcn, BH_STAT_SBI_DBCN},
    {SBI_EXT_HSM, bh_sbi_hsm, BH_STAT_SBI_HSM},          {SBI_EXT_BASE, bh_sbi_base, BH_STAT_SBI_BASE},
    {SBI_EXT_SRST, bh_sbi_srst, BH_STAT_SBI_SRST},       {SBI_EXT_BULKHEAD, bh_sbi_bulkhead, BH_STAT_SBI_BULKHEAD},
};

#define NUM_EXTENSIONS (sizeof(extensions) / sizeof(extensions[0]))

static int is_legacy(uint64_t eid)
{
    return ((eid == SBI_LEGACY_SET_TIMER) || (eid == SBI_LEGACY_CONSOLE_PUTCHAR) ||
            (eid == SBI_LEGACY_CONSOLE_GETCHAR) || (eid == SBI_LEGACY_SHUTDOWN))
               ? 1
               : 0;
}

uint64_t bh_sbi_probe(uint64_t eid)
{
    if (is_legacy(eid) != 0) {
        return 1;
    }
    for (uint32_t i = 0; i < NUM_EXTENSIONS; i++) {
        if (extensions[i].eid == eid) {
            return 1;
        }
    }
    return 0;
}

void bh_sbi_dispatch(struct bh_hart *h)
{
    uint64_t *x = h->frame.x;
    /* SBI calling convention (SBI spec v2.0, ch. 3): EID in a7, FID in a6, arguments from a0. */
    uint64_t eid = x[REG_A7];
    uint64_t fid = x[REG_A6];
    const uint64_t *args = &x[REG_A0];

    if (is_legacy(eid) != 0) {
        bh_stat_inc(h->hartid, BH_STAT_SBI_LEGACY);
        x[REG_A0] = (uint64_t)bh_sbi_legacy(h, eid, args);
        return;
    }
    for (uint32_t i = 0; i < NUM_EXTENSIONS; i++) {
        if (extensions[i].eid == eid) {
            bh_stat_inc(h->hartid, extensions[i].stat);
            struct sbi_result r = extensions[i].handler(h, fid, args);
            x[REG_A0] = (uint64_t)r.error;
            x[REG_A1] = r.value;
            return;
        }
    }
    bh_stat_inc(h->hartid, BH_STAT_SBI_UNKNOWN);
    x[REG_A0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
}
