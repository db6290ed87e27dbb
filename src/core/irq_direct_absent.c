/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Direct interrupt mode on a platform without a PLIC (the AIA): there is no
 * claim/complete page to map, so bhconfig gives no cell direct_irq there
 * (cellmap_direct_irq). Built instead of irq_direct.c; a table that said
 * otherwise would be a broken build, and the hypervisor stops rather than
 * touch a PLIC that does not exist.
 */
#include "bulkhead/irq_direct.h"
#include "bulkhead/log.h"

static void no_direct_mode(const char *what) __attribute__((noreturn));

static void no_direct_mode(const char *what)
{
    bh_panic("direct interrupt mode (%s) on a platform without a PLIC: the generated tables are not bhconfig's", what);
}

void bh_irq_direct_arrived(struct bh_hart *h)
{
    (void)h;
    no_direct_mode("interrupt");
}

void bh_irq_direct_done(struct bh_hart *h)
{
    (void)h;
    no_direct_mode("complete");
}

void bh_irq_direct_mirror(struct bh_hart *h, uint32_t offset, uint32_t value, const struct vplic *v)
{
    (void)h;
    (void)offset;
    (void)value;
    (void)v;
    no_direct_mode("register write");
}

uint32_t bh_irq_direct_pending(const struct vplic *v, uint32_t word)
{
    (void)v;
    (void)word;
    no_direct_mode("pending read");
}
