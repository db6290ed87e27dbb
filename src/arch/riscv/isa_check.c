/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Each hart checks, before it runs any guest, that it has what Bulkhead
 * relies on: the H extension and Sstc (with henvcfg, priv spec 1.12).
 * A CSR that does not exist raises an illegal-instruction trap, which the
 * probe mechanism in trap.c turns into a "missing" answer.
 */
#include "arch/cpu.h"
#include "arch/csr.h"
#include "arch/isa_check.h"
#include <stddef.h>

static int csr_exists_hgatp(struct bh_hart *h)
{
    h->probe_trapped = 0;
    h->probe_active = 1;
    (void)csr_read(CSR_HGATP);
    h->probe_active = 0;
    return (h->probe_trapped == 0U) ? 1 : 0;
}

static int csr_exists_henvcfg(struct bh_hart *h)
{
    h->probe_trapped = 0;
    h->probe_active = 1;
    (void)csr_read(CSR_HENVCFG);
    h->probe_active = 0;
    return (h->probe_trapped == 0U) ? 1 : 0;
}

static int sstc_present(struct bh_hart *h)
{
    h->probe_trapped = 0;
    h->probe_active = 1;
    csr_set(CSR_HENVCFG, HENVCFG_STCE);
    uint64_t env = csr_read(CSR_HENVCFG);
    (void)csr_read(CSR_VSTIMECMP);
    h->probe_active = 0;
    return ((h->probe_trapped == 0U) && ((env & HENVCFG_STCE) != 0UL)) ? 1 : 0;
}

const char *arch_missing_feature(struct bh_hart *h)
{
    if (csr_exists_hgatp(h) == 0) {
        return "the H (hypervisor) extension: hgatp does not exist (QEMU: use -cpu rv64 or max)";
    }
    if (csr_exists_henvcfg(h) == 0) {
        return "henvcfg (privileged spec 1.12), needed to give guests Sstc";
    }
    if (sstc_present(h) == 0) {
        return "the Sstc extension: henvcfg.STCE or vstimecmp is missing";
    }
    return NULL;
}
