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

#endif
