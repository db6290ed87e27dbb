/* SPDX-License-Identifier: Apache-2.0 */
/*
 * irq_aia.h on a PLIC platform: there are no IMSIC guest interrupt files, so
 * bhconfig makes no "aia" cell there (every vaplic_base is 0). Built instead
 * of irq_aia.c; a table that said otherwise would be a broken build, and the
 * hypervisor stops rather than touch an APLIC that does not exist.
 */
#include "bulkhead/irq_aia.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/log.h"

void bh_irq_aia_reset_cell(uint32_t cell)
{
    if (bh_cells[cell].vaplic_base != 0U) {
        bh_panic("cell %u has an APLIC domain on a platform without one: the generated tables are not bhconfig's",
                 (unsigned)cell);
    }
}

void bh_irq_aia_vuart_line(uint32_t cell, uint32_t level)
{
    (void)level;
    bh_panic("cell %u: emulated APLIC source on a platform without an APLIC: the generated tables are not bhconfig's",
             (unsigned)cell);
}

uint32_t bh_irq_aia_ring(uint32_t cell, uint32_t source)
{
    (void)source;
    bh_panic("cell %u: doorbell of an APLIC domain on a platform without one: the generated tables are not bhconfig's",
             (unsigned)cell);
}

int bh_irq_aia_access(struct bh_hart *h, uint32_t offset, uint32_t width, uint32_t is_store, uint64_t *value)
{
    (void)offset;
    (void)width;
    (void)is_store;
    (void)value;
    bh_panic("cell %u: APLIC access on a platform without one: the generated tables are not bhconfig's",
             (unsigned)h->cell);
}
