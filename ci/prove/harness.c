/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `make prove`: the one place that says how the hardware and the attacker
 * drive the hypervisor (docs/safety/proof.md). Frama-C's EVA starts at main()
 * and follows every value each Frama_C_*_interval call can return, so each
 * choice below is "any of", not "one of".
 *
 * Entries (head.S, trap_entry.S):
 *  - the boot hart: bh_main, on any hart id below BH_NUM_HARTS (head.S parks
 *    any other before C runs);
 *  - after the boot hart's setup (bh_boot_setup), any sequence of: a trap
 *    from the guest on any hart, with every guest register, sepc, sstatus and
 *    hstatus arbitrary (the guest is the attacker; the trap CSRs come from
 *    model/hardware.c), taken by a fast path (an ecall: bh_sbi_dispatch_fast;
 *    a device load: bh_trap_fast_load; a device store: bh_trap_fast_store,
 *    which trap_entry.S completes when it answers 0) and, when that
 *    declines, by the general path (bh_trap_from_guest: exceptions and the
 *    host's interrupts, which reach the drivers in src/drivers/);
 *    a trap taken inside the hypervisor on any hart, with
 *    probe_active as the hart left it and any saved registers; then a
 *    secondary hart's start (bh_secondary_main) on any hart.
 *
 * Harts are interleaved whole handler by whole handler: what one hart's
 * handler leaves in shared state is what the next handler (on any hart)
 * sees. Interleavings inside a handler are not analyzed (proof.md, "Not
 * proved"): the locks and atomics of src/ carry that.
 */
#include "__fc_builtin.h"
#include "arch/cpu.h"
#include "bulkhead/hart.h"
#include "bulkhead/sbi.h"
#include "config.h"
#include "model/model.h"

void bh_main(uint64_t hartid) __attribute__((noreturn));
void bh_secondary_main(uint64_t hartid) __attribute__((noreturn));
void bh_boot_setup(uint64_t hartid);
struct bh_trap_frame *bh_trap_from_guest(struct bh_trap_frame *frame);
struct bh_trap_frame *bh_trap_fast_load(struct bh_hart *h);
int bh_trap_fast_store(struct bh_hart *h, uint64_t *source);
void bh_trap_from_hypervisor(uint64_t *regs);
void bh_vcpu_resume(struct bh_trap_frame *frame) __attribute__((noreturn));

/* trap_entry.S: loads the frame into the guest's registers and srets; the
 * guest then runs until its next trap, which main() below takes as a new
 * entry. Nothing after the call runs on this hart. */
void bh_vcpu_resume(struct bh_trap_frame *frame)
{
    /*@ assert resume_own_frame: frame == &bh_model_tp->frame; */
    Frama_C_abort();
}

/* Any hart id the tables know. The caller splits on the result ("split"
 * below): each hart is then analyzed in its own state, so that what a hart
 * of one cell may do is not mixed with what another hart may. */
static uint32_t any_hart(void)
{
    return Frama_C_unsigned_int_interval(0U, (unsigned int)BH_NUM_HARTS - 1U);
}

/* A trap from the guest running on hart: trap_entry.S saved the guest's
 * registers (all the attacker's) into the hart's frame and set tp to it. */
static void trap_from_guest(uint32_t hart)
{
    struct bh_hart *h = &bh_hart_state[hart];
    if (h->cell == BH_NO_CELL) {
        return; /* never enters a guest (main.c hart_enter_world) */
    }
    Frama_C_make_unknown((char *)h->frame.x, sizeof h->frame.x);
    h->frame.sepc = Frama_C_size_t_interval(0UL, ~0UL);
    h->frame.sstatus = Frama_C_size_t_interval(0UL, ~0UL);
    h->frame.hstatus = Frama_C_size_t_interval(0UL, ~0UL);
    bh_model_tp = h;
    /* An ecall or a guest-page fault first tries its fast path
     * (trap_entry.S): any trap may be taken for one here, since scause and
     * htinst are the model's. When it answers a frame (its own hart's) the
     * guest resumes from it; NULL falls through to the general path. */
    int path = Frama_C_interval(0, 3);
    struct bh_trap_frame *fast = NULL;
    if (path == 1) {
        fast = bh_sbi_dispatch_fast(h);
    } else if (path == 2) {
        fast = bh_trap_fast_load(h);
    } else if (path == 3) {
        /* the entry hands in the slot of rs2 (htinst bits 24:20): any register */
        if (bh_trap_fast_store(h, &h->frame.x[Frama_C_unsigned_int_interval(0U, 31U)]) == 0) {
            fast = &h->frame; /* trap_entry.S: sepc past the store, the exit counted */
        }
    } else {
        /* the general path only */
    }
    if (fast != NULL) {
        /*@ assert fast_own_frame: fast == &h->frame; */
        return;
    }
    struct bh_trap_frame *resume = bh_trap_from_guest(&h->frame);
    /*@ assert resume_own_frame: resume == &h->frame; */
}

/* A trap taken while the hypervisor runs on hart (trap_entry.S hyp_trap:
 * x1..x31 and sepc saved on the hypervisor stack; tp still the hart's). */
static void trap_in_hypervisor(uint32_t hart)
{
    uint64_t regs[33];
    Frama_C_make_unknown((char *)regs, sizeof regs);
    bh_model_tp = &bh_hart_state[hart];
    bh_trap_from_hypervisor(regs);
}

int main(void)
{
    uint32_t boot = any_hart();
    /*@ split boot; */
    bh_model_tp = NULL;
    if (Frama_C_interval(0, 1) != 0) {
        bh_main(boot);
    }
    bh_boot_setup(boot);
    while (Frama_C_interval(0, 1) != 0) {
        uint32_t hart = any_hart();
        /*@ split hart; */
        /* The hart's exit counters hold any value. Each handler counts its
         * exit, so each round of this loop would otherwise start from a state
         * one count further, which EVA has not seen: it analyzed every
         * handler again, round after round, until widening caught up (about
         * nine rounds). The counters are only counted, printed and read back
         * by a guest (stats.c, stats_report.c, sbi_bulkhead.c): no access or
         * decision of the hypervisor depends on their values, so "any value"
         * covers every count the hart can have reached, and the loop settles
         * in a few rounds (docs/safety/proof.md, "Run time"). */
        Frama_C_make_unknown((char *)&bh_hart_state[hart].stats, sizeof bh_hart_state[hart].stats);
        if (Frama_C_interval(0, 1) != 0) {
            trap_from_guest(hart);
        } else {
            trap_in_hypervisor(hart);
        }
        /*@ merge hart; */
    }
    bh_model_tp = NULL;
    uint32_t secondary = any_hart();
    /*@ split secondary; */
    bh_secondary_main(secondary);
}
