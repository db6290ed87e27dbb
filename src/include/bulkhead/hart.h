/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-physical-hart state: the hart array, messages between harts (post and
 * take), the SBI HSM state each virtual hart shows its guest and the
 * acknowledgement of a cell's stop. What a hart does with its messages, and
 * its park loop: hart_park.h.
 *
 * Each hart owns one entry. The fields of struct bh_hart proper are private:
 * only the owner reads or writes them once the boot hart has initialised
 * every entry (bh_hart_init, before any other hart runs). Fields that other
 * harts write or read are in struct bh_hart_shared; each names its writers
 * and how the accesses are ordered. None of them is guarded by a lock: see
 * the lock order in docs/architecture.md, "Concurrency".
 */
#ifndef BULKHEAD_HART_H
#define BULKHEAD_HART_H

#include <stddef.h>
#include <stdint.h>
#include "bulkhead/cell_config.h"
#include "bulkhead/asm_offsets.h"
#include "bulkhead/sbi_defs.h"
#include "bulkhead/stat_counts.h"

/* Guest registers saved on every exit; offsets are used by trap_entry.S. */
struct bh_trap_frame {
    uint64_t x[32];   /* x[0] unused */
    uint64_t sepc;    /* offset 256 */
    uint64_t sstatus; /* offset 264 */
    uint64_t hstatus; /* offset 272 */
    uint64_t hyp_sp;  /* offset 280: top of this hart's hypervisor stack */
};

_Static_assert(offsetof(struct bh_trap_frame, sepc) == (size_t)BH_FRAME_SEPC, "frame layout");
_Static_assert(offsetof(struct bh_trap_frame, sstatus) == (size_t)BH_FRAME_SSTATUS, "frame layout");
_Static_assert(offsetof(struct bh_trap_frame, hstatus) == (size_t)BH_FRAME_HSTATUS, "frame layout");
_Static_assert(offsetof(struct bh_trap_frame, hyp_sp) == (size_t)BH_FRAME_HYP_SP, "frame layout");

/* SBI HSM states (SBI spec v2.0, ch. 9, table 32), numbered in bulkhead/sbi_defs.h. */
#define HSM_STARTED       SBI_HSM_STATE_STARTED
#define HSM_STOPPED       SBI_HSM_STATE_STOPPED
#define HSM_START_PENDING SBI_HSM_STATE_START_PENDING
#define HSM_STOP_PENDING  SBI_HSM_STATE_STOP_PENDING

/* Mailbox bits: requests other harts post, handled on the next software interrupt. */
#define BH_MSG_GUEST_IPI 0x1U  /* raise the guest's supervisor software interrupt */
#define BH_MSG_VPLIC     0x2U  /* re-evaluate the guest's external interrupt line */
#define BH_MSG_START     0x4U  /* SBI HSM hart_start: enter the guest at start_addr */
#define BH_MSG_STOP      0x8U  /* the cell is stopping or restarting: park */
#define BH_MSG_DMA_FAULT 0x10U /* the IOMMU refused a DMA of the cell: the trap path applies its policy */

#define BH_NO_RESTART (~0UL) /* bh_hart.restart_due */

/* bh_hart_shared.arrival */
#define BH_ARRIVAL_EXPECTED 0U
#define BH_ARRIVAL_ARRIVED  1U
#define BH_ARRIVAL_MISSING  2U

/* What other harts of the system touch. Accessed with __atomic builtins only. */
struct bh_hart_shared {
    /* BH_MSG_* bits. Any hart sets bits (bh_hart_post: atomic or, then an
     * IPI); only the owner clears them, all at once (atomic exchange). */
    uint32_t mailbox;
    /* HSM_* as the guest sees it, changed only by compare-and-swap from a
     * named state (hsm_move in hart.c). STOPPED -> START_PENDING: a hart of
     * the same cell (SBI hart_start, under its cell's lock while the cell
     * runs) or the hart restarting the cell (its other harts parked). Every
     * other transition: the owner. Read by any hart of the cell (HART_STATUS). */
    uint32_t hsm_state;
    /* Cell epoch this hart last parked for. Written by the owner (release),
     * read by the hart stopping the cell (acquire). */
    uint32_t stop_ack;
    /* Its start at boot: BH_ARRIVAL_EXPECTED until either the hart reaches
     * hypervisor code (ARRIVED) or the boot hart gives up waiting for it
     * (MISSING, CONFIG_HART_ARRIVAL_MS); each side moves it by one
     * compare-and-swap from EXPECTED, so exactly one of them decides and a
     * hart declared missing never runs, however late it comes. Read by
     * hart_start of its cell (acquire). */
    uint32_t arrival;
    /* The guest's external interrupt line as last set (hvip.VSEIP). Written
     * by the owner only; other harts read it (relaxed) to skip posting a
     * line update that would change nothing: a stale value costs one
     * BH_MSG_VPLIC too many, never one too few. */
    uint32_t vseip;
    /* HSM start request: entry and opaque. Written only by the hart whose
     * STOPPED -> START_PENDING swap succeeded, before it posts BH_MSG_START;
     * read by the owner only after it took that message and swapped
     * START_PENDING -> STARTED. The post (atomic or) and the take (atomic
     * exchange) order the accesses. */
    uint64_t start_addr;
    uint64_t start_opaque;
};

struct bh_cell_state;     /* cell.h */
struct bh_console_output; /* console_out.h */

struct bh_hart {
    struct bh_trap_frame frame; /* must stay first: sscratch points here */
    /* Private to the owner (set once by the boot hart in bh_hart_init). */
    uint32_t hartid;
    uint32_t cell; /* index into bh_cells, or BH_NO_CELL */
    /* &bh_cells[cell], &bh_cell_state[cell] and the cell's console output
     * (NULL without a cell): the exits' fast paths (trap_fast.c, mmio*.c,
     * the console's bytes) load them instead of multiplying the cell index
     * by each array's element size on every exit. */
    const struct bh_cell_config *cell_config;
    struct bh_cell_state *cell_state;
    struct bh_console_output *console_output;
    uint32_t vhart;
    uint32_t probe_active; /* CSR probing at boot: a trap means "absent" */
    uint32_t probe_trapped;
    /* Written by the owner only; read by any hart printing them (stats.h). */
    struct bh_stat_counts stats;
    struct bh_hart_shared shared;
    /* Private to the owner: when this hart, parked since it stopped its cell
     * for a restart, restarts it (time CSR ticks; BH_NO_RESTART: it does not). */
    uint64_t restart_due;
};

_Static_assert((offsetof(struct bh_hart, stats) + offsetof(struct bh_stat_counts, exits)) == (size_t)BH_HART_EXITS,
               "hart layout");

extern struct bh_hart bh_hart_state[BH_NUM_HARTS];

static inline const struct bh_cell_config *bh_hart_cell(const struct bh_hart *h)
{
    return &bh_cells[h->cell];
}

/* Boot hart only, before any other hart runs. */
void bh_hart_init(uint32_t hartid, uint64_t stack_top);

/* Sets msg in the hart's mailbox and interrupts it. Any hart. */
void bh_hart_post(uint32_t hartid, uint32_t msg);
/* Takes (and clears) every message posted to this hart. Owner. */
uint32_t bh_hart_take_mailbox(struct bh_hart *h);

/* HSM state of a hart as its guest sees it. Any hart. */
uint32_t bh_hart_hsm_state(uint32_t hartid);
/* SBI HSM hart_start of a stopped hart: 1 if it was stopped and now starts
 * at addr with a1 = opaque, 0 if it was in any other state. Any hart. */
uint32_t bh_hart_request_start(uint32_t hartid, uint64_t addr, uint64_t opaque);
/* This hart's guest enters at pc: HSM state STARTED, vCPU reset. The caller enters it. Owner. */
void bh_hart_start_guest(struct bh_hart *h, uint64_t pc, uint64_t a0, uint64_t a1);
/* A posted start: 1 and the request if the state was START_PENDING (now STARTED), else 0. Owner. */
uint32_t bh_hart_take_start(struct bh_hart *h, uint64_t *addr, uint64_t *opaque);
/* SBI HSM hart_stop by the running guest (SBI 9.2): STARTED -> STOPPED. Owner; the caller parks. */
void bh_hart_stop_self(struct bh_hart *h);

/* Stops the guest of this hart for the cell's stop or restart of the given
 * epoch (HSM state STOPPED) and acknowledges it to the stopping hart. Owner. */
void bh_hart_stop_for(struct bh_hart *h, uint32_t epoch);
/* The epoch of the cell stop this hart last acknowledged. */
uint32_t bh_hart_stop_acked(const struct bh_hart *h);
/* Waits until the hart acknowledged the stop of epoch: 0 if deadline passed first. Any hart. */
uint32_t bh_hart_wait_stopped(uint32_t hartid, uint32_t epoch, uint64_t deadline);

/* This hart has reached the hypervisor after its start at boot. Owner. */
/* The hart itself, first thing: 1 if it may run, 0 if the boot hart
 * already declared it missing (it must then stay out of its cell). */
uint32_t bh_hart_arrive(struct bh_hart *h);
/* Boot hart: waits until the hart arrived (1); at the deadline
 * (arch_time_now) declares it missing, counts it and returns 0, unless it
 * arrived in the same instant (then 1). */
uint32_t bh_hart_wait_arrived(uint32_t hartid, uint64_t deadline);
/* 1 if the boot hart gave up on the hart. */
uint32_t bh_hart_missing(uint32_t hartid);

/* The guest external interrupt line as last set on the hart (owner: set). */
static inline void bh_hart_set_vseip(struct bh_hart *h, uint32_t line)
{
    __atomic_store_n(&h->shared.vseip, line, __ATOMIC_RELAXED);
}

static inline uint32_t bh_hart_vseip(uint32_t hartid)
{
    return __atomic_load_n(&bh_hart_state[hartid].shared.vseip, __ATOMIC_RELAXED);
}

#endif
