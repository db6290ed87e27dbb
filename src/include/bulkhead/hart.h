/*
 * Per-physical-hart state. Each hart owns exactly one entry and is the only
 * writer of it, except for the mailbox, which other harts post to atomically.
 */
#ifndef BULKHEAD_HART_H
#define BULKHEAD_HART_H

#include <stddef.h>
#include <stdint.h>
#include "bulkhead/cell_config.h"
#include "bulkhead/asm_offsets.h"
#include "bulkhead/sbi_defs.h"

/* Guest registers saved on every exit; offsets are used by trap_entry.S. */
struct bh_trap_frame {
    uint64_t x[32];    /* x[0] unused */
    uint64_t sepc;     /* offset 256 */
    uint64_t sstatus;  /* offset 264 */
    uint64_t hstatus;  /* offset 272 */
    uint64_t hyp_sp;   /* offset 280: top of this hart's hypervisor stack */
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
#define BH_MSG_GUEST_IPI 0x1U /* raise the guest's supervisor software interrupt */
#define BH_MSG_VPLIC     0x2U /* re-evaluate the guest's external interrupt line */
#define BH_MSG_START     0x4U /* SBI HSM hart_start: enter the guest at start_addr */
#define BH_MSG_STOP      0x8U /* the cell is stopping or restarting: park */

struct bh_hart {
    struct bh_trap_frame frame;        /* must stay first: sscratch points here */
    uint32_t hartid;
    uint32_t cell;                     /* index into bh_cells, or BH_NO_CELL */
    uint32_t vhart;
    volatile uint32_t mailbox;         /* BH_MSG_* posted with atomic or */
    volatile uint32_t hsm_state;       /* HSM_* as the guest sees it */
    volatile uint32_t stop_ack;        /* cell epoch this hart last parked for */
    uint64_t start_addr;               /* HSM request: entry and opaque */
    uint64_t start_opaque;
    uint32_t probe_active;             /* CSR probing at boot: a trap means "absent" */
    uint32_t probe_trapped;
    uint64_t vseip;                    /* current value of hvip.VSEIP owned by the vPLIC */
};

extern struct bh_hart bh_hart_state[BH_NUM_HARTS];

static inline const struct bh_cell_config *bh_hart_cell(const struct bh_hart *h)
{
    return &bh_cells[h->cell];
}

#endif
