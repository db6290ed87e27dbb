/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The emulated source of an "aia" cell's APLIC domain (vaplic.h): its input
 * is the vUART's interrupt output, not a wire of the physical APLIC, so the
 * domain keeps its pending bit itself and the hypervisor sends its MSI to
 * the cell's guest interrupt file. Its registers behave as a wired source's
 * in MSI delivery mode (RISC-V AIA spec v1.0): pending bits per 4.7, an MSI
 * for a pending and enabled source of an enabled domain, which clears the
 * pending bit (4.9.3). Pure: the caller sends what vaplic_vsource_forward
 * decides.
 */
#include "bulkhead/vaplic.h"
#include "bulkhead/aplic.h"

#define SM_DETACHED 1U
#define SM_EDGE1    4U
#define SM_EDGE0    5U
#define SM_LEVEL0   7U
#define TARGET_HART 18U /* hart index, bits 31:18 (4.5.16) */
#define TARGET_EIID 0x7ffU

uint32_t vaplic_vsource_active(const struct vaplic_vsource *e)
{
    return (e->cfg != APLIC_SM_INACTIVE) ? 1U : 0U;
}

/* The rectified input (4.5.2): inverted for the active-low modes, none when detached. */
uint32_t vaplic_vsource_rectified(const struct vaplic_vsource *e)
{
    uint32_t in = e->input;

    if ((e->cfg == SM_EDGE0) || (e->cfg == SM_LEVEL0)) {
        in ^= 1U;
    }
    return ((e->cfg == APLIC_SM_INACTIVE) || (e->cfg == SM_DETACHED)) ? 0U : in;
}

static uint32_t level_mode(const struct vaplic_vsource *e)
{
    return ((e->cfg == APLIC_SM_LEVEL1) || (e->cfg == SM_LEVEL0)) ? 1U : 0U;
}

void vaplic_vsource_configure(struct vaplic_vsource *e, uint32_t sm)
{
    e->cfg = sm;
    e->enabled = 0U;
    e->target = 0U;
    /* A level source is pending while its rectified input is high (4.7); an edge one waits for an edge. */
    e->pending = ((sm != APLIC_SM_INACTIVE) && (level_mode(e) != 0U)) ? vaplic_vsource_rectified(e) : 0U;
}

uint32_t vaplic_vsource_aim(struct vaplic_vsource *e, uint32_t value, uint32_t num_harts)
{
    uint32_t vhart = value >> TARGET_HART;

    if (vaplic_vsource_active(e) == 0U) {
        return 0U; /* read-only zero: the write does nothing */
    }
    if (vhart >= num_harts) {
        return 1U;
    }
    e->target = (vhart << TARGET_HART) | (value & TARGET_EIID);
    return 0U;
}

void vaplic_vsource_enable(struct vaplic_vsource *e, uint32_t on)
{
    if (vaplic_vsource_active(e) != 0U) {
        e->enabled = on;
    }
}

/* setip/setipnum: a level source pends only while its input requests (4.7); clrip clears. */
void vaplic_vsource_pend(struct vaplic_vsource *e, uint32_t on)
{
    if (vaplic_vsource_active(e) == 0U) {
        return;
    }
    if (on == 0U) {
        e->pending = 0U;
    } else if ((level_mode(e) == 0U) || (vaplic_vsource_rectified(e) != 0U)) {
        e->pending = 1U;
    } else {
        /* a level source whose input is low stays idle */
    }
}

void vaplic_vsource_input(struct vaplic_vsource *e, uint32_t level)
{
    uint32_t before = vaplic_vsource_rectified(e);

    e->input = 0U;
    if (level != 0U) {
        e->input = 1U;
    }
    uint32_t after = vaplic_vsource_rectified(e);
    if ((after != 0U) && (before == 0U)) {
        e->pending = 1U;
    } else if ((after == 0U) && (level_mode(e) != 0U)) {
        e->pending = 0U;
    } else {
        /* no edge: an edge source keeps what it had */
    }
}

uint32_t vaplic_vsource_forward(struct vaplic_vsource *e, uint32_t domain_enabled)
{
    if ((vaplic_vsource_active(e) == 0U) || (e->enabled == 0U) || (domain_enabled == 0U) || (e->pending == 0U)) {
        return 0U;
    }
    e->pending = 0U;
    return 1U;
}

uint32_t vaplic_vsource_vhart(const struct vaplic_vsource *e)
{
    return e->target >> TARGET_HART;
}

uint32_t vaplic_vsource_eiid(const struct vaplic_vsource *e)
{
    return e->target & TARGET_EIID;
}
