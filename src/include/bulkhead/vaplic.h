/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The APLIC domain an interrupt-controller = "aia" cell sees (RISC-V AIA spec
 * v1.0, ch. 4, MSI delivery mode only): its page traps, and each write that
 * configures one of the cell's own sources is carried over to the physical
 * supervisor domain (aplic.h) with the target translated from (virtual hart,
 * EIID) to (physical hart, guest interrupt file, EIID). The device then sends
 * its MSIs to the guest's interrupt file without the hypervisor.
 *
 * Every other source is unimplemented in this domain (4.5.2: its sourcecfg
 * reads zero, so do its ip, ie and target): attempts to activate, enable or
 * pend one are refused and counted; clears of it change nothing, as on any
 * inactive source. Reads return the virtual state (pending and input bits:
 * the hardware's, of own sources only). Not emulated: genmsi (4.5.18, reads
 * 0), the msiaddrcfg registers (read-only zero outside the root domain,
 * 4.5.3), delegation to child domains (sourcecfg.D reads zero), direct
 * delivery mode and its IDCs (domaincfg.DM reads one).
 *
 * Some sources are emulated instead of wired (vaplic_vsource.c): the
 * vUART's and the cell's channel doorbells, whose inputs the hypervisor
 * drives and whose MSIs it sends to the guest's interrupt files itself
 * (vaplic_vsource_take, vaplic_vsource_msi).
 *
 * No hardware access here beyond aplic.h, so the host unit test links it
 * against a recording aplic.h.
 */
#ifndef BULKHEAD_VAPLIC_H
#define BULKHEAD_VAPLIC_H

#include <stdint.h>

#ifndef VAPLIC_MAX_SOURCES
#include "config.h"
#define VAPLIC_MAX_SOURCES  ((uint32_t)BH_MAX_CELL_IRQS)
#define VAPLIC_MAX_HARTS    ((uint32_t)BH_MAX_CELL_HARTS)
#define VAPLIC_MAX_VSOURCES (1U + (uint32_t)BH_MAX_CELL_CHANNELS) /* the vUART's, one per channel doorbell */
#endif

/* Register offsets in the domain (AIA spec 4.5, table 4.2). */
#define VAPLIC_DOMAINCFG   0x0000U
#define VAPLIC_SOURCECFG   0x0004U /* [s] at + (s - 1) * 4, s = 1..1023 */
#define VAPLIC_SETIP       0x1c00U /* [k] at + k * 4, k = 0..31 */
#define VAPLIC_SETIPNUM    0x1cdcU
#define VAPLIC_IN_CLRIP    0x1d00U
#define VAPLIC_CLRIPNUM    0x1ddcU
#define VAPLIC_SETIE       0x1e00U
#define VAPLIC_SETIENUM    0x1edcU
#define VAPLIC_CLRIE       0x1f00U
#define VAPLIC_CLRIENUM    0x1fdcU
#define VAPLIC_SETIPNUM_LE 0x2000U
#define VAPLIC_SETIPNUM_BE 0x2004U
#define VAPLIC_TARGET      0x3004U /* [s] at + (s - 1) * 4 */

/* The emulated source: its sourcecfg mode, target, enable, pending bit and input wire. */
struct vaplic_vsource {
    uint32_t source; /* its number in the domain, 0: the domain has none */
    uint32_t cfg;
    uint32_t target; /* virtual: hart index = virtual hart, guest index 0 */
    uint32_t enabled;
    uint32_t pending;
    uint32_t input;
};

struct vaplic {
    uint32_t num_harts;
    uint32_t msi_hart[VAPLIC_MAX_HARTS];  /* physical hart (its MSI hart index) of virtual hart v */
    uint32_t msi_guest[VAPLIC_MAX_HARTS]; /* its guest interrupt file (hstatus.VGEIN) */
    uint32_t num_sources;
    uint32_t source[VAPLIC_MAX_SOURCES]; /* the cell's own APLIC sources */
    uint32_t enabled_domain;             /* domaincfg.IE */
    uint32_t sourcecfg[VAPLIC_MAX_SOURCES];
    uint32_t target[VAPLIC_MAX_SOURCES]; /* virtual: hart index = virtual hart, guest index 0 */
    uint32_t enabled[VAPLIC_MAX_SOURCES];
    uint32_t num_vsources;
    struct vaplic_vsource vs[VAPLIC_MAX_VSOURCES];
};

struct vaplic_result {
    uint32_t value;  /* data for a read */
    uint32_t denied; /* 1: the write tried to activate, enable, pend or aim a source the cell does not own */
};

/* Every own source inactive and disabled, here and in the hardware, and the
 * emulated sources `vsources` inactive with their inputs low: a cell's boot
 * state. */
void vaplic_init(struct vaplic *v, uint32_t num_harts, const uint32_t *phys_harts, const uint32_t *guest_files,
                 const uint32_t *sources, uint32_t num_sources, const uint32_t *vsources, uint32_t num_vsources);
struct vaplic_result vaplic_read(const struct vaplic *v, uint32_t offset);
struct vaplic_result vaplic_write(struct vaplic *v, uint32_t offset, uint32_t value);
/* Index of emulated source `source` in v->vs, or -1. */
int vaplic_vsource_index(const struct vaplic *v, uint32_t source);
/* Emulated source i's input wire is `level` (driven again at the same level changes nothing). */
void vaplic_vsource_line(struct vaplic *v, uint32_t i, uint32_t level);
/* A doorbell ring of emulated source i, an edge: 1 if it was already pending (the ring merges into it). */
uint32_t vaplic_vsource_ring(struct vaplic *v, uint32_t i);
/* After any write or input change: 1 if emulated source i is to send its MSI now (its pending bit is then
 * clear, AIA spec 4.9.3); vaplic_vsource_msi says where. */
uint32_t vaplic_vsource_take(struct vaplic *v, uint32_t i);
void vaplic_vsource_msi(const struct vaplic *v, uint32_t i, uint32_t *phys_hart, uint32_t *guest_file, uint32_t *eiid);

/* The emulated source's state machine (vaplic_vsource.c), used by vaplic.c. */
uint32_t vaplic_vsource_active(const struct vaplic_vsource *e);
uint32_t vaplic_vsource_rectified(const struct vaplic_vsource *e);
void vaplic_vsource_configure(struct vaplic_vsource *e, uint32_t sm);
uint32_t vaplic_vsource_aim(struct vaplic_vsource *e, uint32_t value, uint32_t num_harts);
void vaplic_vsource_enable(struct vaplic_vsource *e, uint32_t on);
void vaplic_vsource_pend(struct vaplic_vsource *e, uint32_t on);
void vaplic_vsource_input(struct vaplic_vsource *e, uint32_t level);
uint32_t vaplic_vsource_forward(struct vaplic_vsource *e, uint32_t domain_enabled);
uint32_t vaplic_vsource_vhart(const struct vaplic_vsource *e);
uint32_t vaplic_vsource_eiid(const struct vaplic_vsource *e);

#endif
