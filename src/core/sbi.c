/* SPDX-License-Identifier: Apache-2.0 */
/* SBI dispatch: one switch on the extension id, then the extension's handler. */
#include <stddef.h>
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "arch/regs.h"
#include "bulkhead/stat_counts.h"

struct sbi_extension {
    bh_sbi_handler handler;
    enum bh_stat stat;
    uint32_t fast; /* may run on an exit's fast path (bh_sbi_dispatch_fast) */
};

static int is_legacy(uint64_t eid)
{
    return ((eid == SBI_LEGACY_SET_TIMER) || (eid == SBI_LEGACY_CONSOLE_PUTCHAR) ||
            (eid == SBI_LEGACY_CONSOLE_GETCHAR) || (eid == SBI_LEGACY_SHUTDOWN))
               ? 1
               : 0;
}

/* A switch, not a search: the compiler turns it into a few compares, the same
 * for every extension (the BASE calls of a booting guest cost what TIME does). */
static inline const struct sbi_extension *find(uint64_t eid)
{
    /* DBCN reads guest memory, HSM parks harts, SRST stops cells, the Bulkhead
     * extension reads guest memory: none of them is fast. */
    static const struct sbi_extension time = {bh_sbi_time, BH_STAT_SBI_TIME, 1U};
    static const struct sbi_extension ipi = {bh_sbi_ipi, BH_STAT_SBI_IPI, 1U};
    static const struct sbi_extension rfence = {bh_sbi_rfence, BH_STAT_SBI_RFENCE, 1U};
    static const struct sbi_extension base = {bh_sbi_base, BH_STAT_SBI_BASE, 1U};
    static const struct sbi_extension dbcn = {bh_sbi_dbcn, BH_STAT_SBI_DBCN, 0U};
    static const struct sbi_extension hsm = {bh_sbi_hsm, BH_STAT_SBI_HSM, 0U};
    static const struct sbi_extension srst = {bh_sbi_srst, BH_STAT_SBI_SRST, 0U};
    static const struct sbi_extension bulkhead = {bh_sbi_bulkhead, BH_STAT_SBI_BULKHEAD, 0U};
    const struct sbi_extension *ext;

    switch (eid) {
    case SBI_EXT_TIME: ext = &time; break;
    case SBI_EXT_IPI: ext = &ipi; break;
    case SBI_EXT_RFENCE: ext = &rfence; break;
    case SBI_EXT_BASE: ext = &base; break;
    case SBI_EXT_DBCN: ext = &dbcn; break;
    case SBI_EXT_HSM: ext = &hsm; break;
    case SBI_EXT_SRST: ext = &srst; break;
    case SBI_EXT_BULKHEAD: ext = &bulkhead; break;
    default: ext = NULL; break;
    }
    return ext;
}

uint64_t bh_sbi_probe(uint64_t eid)
{
    return ((is_legacy(eid) != 0) || (find(eid) != NULL)) ? 1UL : 0UL;
}

/* SBI calling convention (SBI spec v2.0, ch. 3): EID in a7, FID in a6, arguments from a0. */
static inline void call_legacy(struct bh_hart *h)
{
    uint64_t *x = h->frame.x;

    bh_stat_inc(&h->stats, BH_STAT_SBI_LEGACY);
    x[REG_A0] = (uint64_t)bh_sbi_legacy(h, x[REG_A7], &x[REG_A0]);
}

/* ext: the extension of a7, NULL if there is none. */
static inline void call_extension(struct bh_hart *h, const struct sbi_extension *ext)
{
    uint64_t *x = h->frame.x;

    if (ext != NULL) {
        bh_stat_inc(&h->stats, ext->stat);
        struct sbi_result r = ext->handler(h, x[REG_A6], &x[REG_A0]);
        x[REG_A0] = (uint64_t)r.error;
        x[REG_A1] = r.value;
    } else {
        bh_stat_inc(&h->stats, BH_STAT_SBI_UNKNOWN);
        x[REG_A0] = (uint64_t)SBI_ERR_NOT_SUPPORTED;
    }
}

void bh_sbi_dispatch(struct bh_hart *h)
{
    uint64_t eid = h->frame.x[REG_A7];

    if (is_legacy(eid) != 0) {
        call_legacy(h);
    } else {
        call_extension(h, find(eid));
    }
}

uint32_t bh_sbi_dispatch_fast(struct bh_hart *h)
{
    uint64_t eid = h->frame.x[REG_A7];

    if (is_legacy(eid) != 0) {
        /* A legacy shutdown stops the cell; the other legacy calls are fast. */
        if (eid == SBI_LEGACY_SHUTDOWN) {
            return 0;
        }
        call_legacy(h);
    } else {
        const struct sbi_extension *ext = find(eid);
        if ((ext != NULL) && (ext->fast == 0U)) {
            return 0;
        }
        call_extension(h, ext);
    }
    arch_fast_ecall_done();
    bh_stat_exit(&h->stats);
    return 1;
}
