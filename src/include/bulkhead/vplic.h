/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual PLIC state machine of one cell: pure logic, no hardware access,
 * so it is unit-tested on the host. Register map and semantics follow the
 * RISC-V PLIC spec v1.0.0 ("Memory Map" and the chapters it links); context 2*v is virtual hart v's M-mode
 * context (absent: reads 0, writes ignored) and 2*v+1 its S-mode context,
 * the numbering QEMU virt and real boards give Linux and RTOS drivers.
 */
#ifndef BULKHEAD_VPLIC_H
#define BULKHEAD_VPLIC_H

#include <stdint.h>

#ifndef VPLIC_MAX_SOURCES
#include "config.h"
#define VPLIC_MAX_SOURCES ((uint32_t)BH_PLIC_NDEV + 1U) /* source 0 does not exist */
#define VPLIC_MAX_HARTS   ((uint32_t)BH_MAX_CELL_HARTS)
#endif
#define VPLIC_WORDS        ((VPLIC_MAX_SOURCES + 31U) / 32U)
#define VPLIC_MAX_PRIORITY 7U

#define VPLIC_PRIORITY_BASE  0x000000U
#define VPLIC_PENDING_BASE   0x001000U
#define VPLIC_ENABLE_BASE    0x002000U
#define VPLIC_ENABLE_STRIDE  0x80U
#define VPLIC_CONTEXT_BASE   0x200000U
#define VPLIC_CONTEXT_STRIDE 0x1000U

struct vplic {
    uint32_t num_harts;
    uint32_t owned[VPLIC_WORDS]; /* sources this cell may see */
    uint32_t pending[VPLIC_WORDS];
    uint32_t active[VPLIC_WORDS]; /* claimed and not yet completed */
    uint8_t priority[VPLIC_MAX_SOURCES];
    uint32_t enable[VPLIC_MAX_HARTS][VPLIC_WORDS];
    uint8_t threshold[VPLIC_MAX_HARTS];
};

/* What an access did, for the caller to act on. */
struct vplic_result {
    uint32_t value;     /* data for a read */
    uint32_t completed; /* source completed by this write, 0 if none */
    uint32_t denied;    /* 1 if the access named a foreign source or context */
    uint32_t changed;   /* 1 if it changed a priority, enable, threshold or claim: lines may move */
};

void vplic_init(struct vplic *v, uint32_t num_harts, const uint32_t *sources, uint32_t num_sources);
/* The interrupt gateway forwards a request: pending unless already in service. */
void vplic_raise(struct vplic *v, uint32_t source);
/* Where a source stands: VPLIC_SOURCE_PENDING and/or VPLIC_SOURCE_ACTIVE bits (0: idle). */
#define VPLIC_SOURCE_PENDING 1U
#define VPLIC_SOURCE_ACTIVE  2U
uint32_t vplic_source_state(const struct vplic *v, uint32_t source);
/* 1 if the vhart's S-mode external interrupt line should be asserted. */
uint32_t vplic_line(const struct vplic *v, uint32_t vhart);
struct vplic_result vplic_read(struct vplic *v, uint32_t offset);
struct vplic_result vplic_write(struct vplic *v, uint32_t offset, uint32_t value);

/*
 * The priority registers alone, for the device-access fast path
 * (mmio_vplic.c): offset below VPLIC_PENDING_BASE and 4-aligned, the same
 * answer as vplic_read / vplic_write without a struct to return (which GCC
 * keeps on the stack).
 *
 * vplic_priority_of may run without the cell lock: it is one aligned load
 * of a byte that is only written, as a whole, under the lock (priority and
 * owned change nowhere else but in vplic_init, which runs while the cell's
 * harts are parked), so a reader sees the value before or after a
 * concurrent write, as a read that took the lock just before or after it.
 */
/* Source src (below VPLIC_MAX_SOURCES) is the cell's own. */
static inline uint32_t vplic_owns(const struct vplic *v, uint32_t src)
{
    return (v->owned[src / 32U] >> (src % 32U)) & 1U;
}
static inline uint32_t vplic_priority_of(const struct vplic *v, uint32_t offset)
{
    uint32_t src = offset / 4U;
    uint32_t prio = 0U;

    if ((src < VPLIC_MAX_SOURCES) && (vplic_owns(v, src) != 0U)) {
        prio = __atomic_load_n(&v->priority[src], __ATOMIC_RELAXED);
    }
    return prio;
}
/* 1 if writing value to this priority register (offset as above) would
 * change nothing: the source is the cell's own and holds that value,
 * clamped, already. Without the lock for the same reason as
 * vplic_priority_of: such a write is ordered before or after a concurrent
 * one and leaves the state that order gives. */
static inline uint32_t vplic_priority_holds(const struct vplic *v, uint32_t offset, uint32_t value)
{
    uint32_t src = offset / 4U;
    uint32_t prio = (value > VPLIC_MAX_PRIORITY) ? VPLIC_MAX_PRIORITY : value;
    uint32_t holds = 0U;

    if ((src < VPLIC_MAX_SOURCES) && (vplic_owns(v, src) != 0U)) {
        uint32_t held = __atomic_load_n(&v->priority[src], __ATOMIC_RELAXED);
        if (held == prio) {
            holds = 1U;
        }
    }
    return holds;
}
/* Under the cell lock: VPLIC_PRIORITY_CHANGED if the value moved (lines may
 * move), VPLIC_PRIORITY_DENIED if the source is another cell's. */
#define VPLIC_PRIORITY_CHANGED 1U
#define VPLIC_PRIORITY_DENIED  2U
uint32_t vplic_write_priority(struct vplic *v, uint32_t offset, uint32_t value);

#endif
