/* SPDX-License-Identifier: Apache-2.0 */
/* SBI dispatch: one switch on the extension id, a direct call of its handler. */
#include <stddef.h>
#include "bulkhead/sbi.h"
#include "arch/cpu.h"
#include "arch/regs.h"
#include "bulkhead/stat_counts.h"

struct sbi_result bh_sbi_probe(uint64_t eid)
{
    struct sbi_result r = {SBI_SUCCESS, 0UL};

    switch (eid) {
    case SBI_LEGACY_SET_TIMER:
    case SBI_LEGACY_CONSOLE_PUTCHAR:
    case SBI_LEGACY_CONSOLE_GETCHAR:
    case SBI_LEGACY_SHUTDOWN:
    case SBI_EXT_BASE:
    case SBI_EXT_TIME:
    case SBI_EXT_IPI:
    case SBI_EXT_RFENCE:
    case SBI_EXT_HSM:
    case SBI_EXT_SRST:
    case SBI_EXT_DBCN:
    case SBI_EXT_BULKHEAD: r.value = 1UL; break;
    default: break;
    }
    return r;
}

/* Legacy v0.1 calls answer in a0 only (SBI spec v2.0, ch. 5). */
static inline void call_legacy(struct bh_hart *h, uint64_t eid)
{
    uint64_t *x = h->frame.x;

    bh_stat_inc(&h->stats, BH_STAT_SBI_LEGACY);
    x[REG_A0] = (uint64_t)bh_sbi_legacy(h, eid, &x[REG_A0]);
}

/* SBI calling convention (SBI spec v2.0, ch. 3): error in a0, value in a1. */
static inline void put_result(uint64_t *x, struct sbi_result r)
{
    x[REG_A0] = (uint64_t)r.error;
    x[REG_A1] = r.value;
}

/* The extensions only the general path runs (see call_extension). */
static void call_slow_extension(struct bh_hart *h, uint64_t eid, uint64_t fid, const uint64_t *args)
{
    uint64_t *x = h->frame.x;

    switch (eid) {
    case SBI_EXT_DBCN:
        bh_stat_inc(&h->stats, BH_STAT_SBI_DBCN);
        put_result(x, bh_sbi_dbcn(h, fid, args));
        break;
    case SBI_EXT_HSM:
        bh_stat_inc(&h->stats, BH_STAT_SBI_HSM);
        put_result(x, bh_sbi_hsm(h, fid, args));
        break;
    case SBI_EXT_SRST:
        bh_stat_inc(&h->stats, BH_STAT_SBI_SRST);
        put_result(x, bh_sbi_srst(h, fid, args));
        break;
    default:
        bh_stat_inc(&h->stats, BH_STAT_SBI_BULKHEAD);
        put_result(x, bh_sbi_bulkhead(h, fid, args));
        break;
    }
}

/*
 * The call in a7 (EID), a6 (FID) and a0.. (arguments; SBI spec v2.0, ch.
 * 3), each handler by a direct call, so no indirect call is left for the
 * stack analysis; each branch counts and answers on its own, so the
 * fast ones share no code with the rest. With fast set (a constant: both
 * callers inline it) the calls that may not run on an exit's fast path
 * answer 0 having done nothing: DBCN and the Bulkhead extension read guest
 * memory, HSM parks harts, SRST and the legacy shutdown stop cells. 1 when
 * the call is done.
 */
static inline uint32_t call_extension(struct bh_hart *h, uint32_t fast)
{
    uint64_t *x = h->frame.x;
    const uint64_t eid = x[REG_A7];
    const uint64_t fid = x[REG_A6];
    const uint64_t *args = &x[REG_A0];
    uint32_t known = 1U;

    /* The fast calls first, each one compare, by how often guests make them
     * (RT-Thread's tick is a legacy set_timer); a switch would test them in
     * the order of their numbers. */
    if (eid <= SBI_LEGACY_CONSOLE_GETCHAR) {
        call_legacy(h, eid);
    } else if (eid == SBI_EXT_TIME) {
        bh_stat_inc(&h->stats, BH_STAT_SBI_TIME);
        put_result(x, bh_sbi_time(h, fid, args));
    } else if (eid == SBI_EXT_IPI) {
        bh_stat_inc(&h->stats, BH_STAT_SBI_IPI);
        put_result(x, bh_sbi_ipi(h, fid, args));
    } else if (eid == SBI_EXT_BASE) {
        bh_stat_inc(&h->stats, BH_STAT_SBI_BASE);
        put_result(x, bh_sbi_base(h, fid, args));
    } else if (eid == SBI_EXT_RFENCE) {
        bh_stat_inc(&h->stats, BH_STAT_SBI_RFENCE);
        put_result(x, bh_sbi_rfence(h, fid, args));
    } else if (eid == SBI_LEGACY_SHUTDOWN) {
        if (fast != 0U) {
            return 0U;
        }
        call_legacy(h, eid);
    } else if ((eid == SBI_EXT_DBCN) || (eid == SBI_EXT_HSM) || (eid == SBI_EXT_SRST) || (eid == SBI_EXT_BULKHEAD)) {
        if (fast != 0U) {
            return 0U;
        }
        call_slow_extension(h, eid, fid, args);
    } else {
        known = 0U;
    }
    if (known == 0U) {
        bh_stat_inc(&h->stats, BH_STAT_SBI_UNKNOWN);
        x[REG_A0] = (uint64_t)SBI_ERR_NOT_SUPPORTED; /* a1 stays as it was */
    }
    return 1U;
}

void bh_sbi_dispatch(struct bh_hart *h)
{
    (void)call_extension(h, 0U);
}

struct bh_trap_frame *bh_sbi_dispatch_fast(struct bh_hart *h)
{
    if (call_extension(h, 1U) == 0U) {
        return NULL;
    }
    arch_fast_ecall_done();
    bh_stat_exit(&h->stats);
    return &h->frame;
}
