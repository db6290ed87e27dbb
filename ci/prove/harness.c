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
 *    from the guest on any hart of a cell, with every guest register, sepc,
 *    sstatus and hstatus arbitrary (the guest is the attacker; the trap CSRs
 *    come from model/hardware.c), taken by a fast path (an ecall:
 *    bh_sbi_dispatch_fast; a device load: bh_trap_fast_load; a device store:
 *    bh_trap_fast_store, which trap_entry.S completes when it answers 0) and,
 *    when that declines, by the general path (bh_trap_from_guest: exceptions
 *    and the host's interrupts, which reach the drivers in src/drivers/);
 *    a trap taken inside the hypervisor on any running hart (a cell's or
 *    the console hart), with probe_active as the hart left it and any saved
 *    registers; a round of the park loop (bh_hart_park_round) on any running
 *    hart; then a secondary hart's start (bh_secondary_main) or its park
 *    loop (bh_hart_park_loop, which arch_park enters on an empty stack) on
 *    any running hart.
 *
 * Harts are interleaved whole handler by whole handler: what one hart's
 * handler leaves in shared state is what the next handler (on any hart)
 * sees. Interleavings inside a handler are not analyzed (proof.md, "Not
 * proved"): the locks and atomics of src/ carry that.
 */
#include "__fc_builtin.h"
#include "arch/cpu.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_lifecycle.h"
#include "bulkhead/doorbell.h"
#include "bulkhead/hart.h"
#include "bulkhead/hart_park.h"
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

/* park.S: sp to the top of the hart's stack, then its park loop, each round
 * of which main() below takes as an entry of its own (park_round). Nothing
 * after the call runs on this hart. */
void arch_park(struct bh_hart *h)
{
    /*@ assert park_own_hart: h == bh_model_tp; */
    Frama_C_abort();
}

/*
 * The harts that run hypervisor code after the boot: each hart of a cell,
 * which takes its guest's traps, and the console hart, which may be in no
 * cell (main.c hart_enter_world). Any other hart halts with its interrupts
 * off (arch_halt: sie = 0), so it takes no trap, and bh_main never starts
 * it: it can only have been the boot hart. Sorted once from the tables.
 */
static uint32_t guest_harts[BH_NUM_HARTS];
static uint32_t num_guest_harts;
static uint32_t running_harts[BH_NUM_HARTS];
static uint32_t num_running_harts;
/* The halted harts as runs of consecutive ids: an interval of one run holds
 * no running hart, so its harts' state is told apart from theirs. */
static uint32_t halted_first[BH_NUM_HARTS];
static uint32_t halted_last[BH_NUM_HARTS];
static uint32_t num_halted_runs;

static void sort_harts(void)
{
    //@ loop unroll BH_NUM_HARTS;
    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {
        const int in_cell = (bh_harts[i].cell != BH_NO_CELL) ? 1 : 0;
        if (in_cell != 0) {
            guest_harts[num_guest_harts] = i;
            num_guest_harts++;
        }
        if ((in_cell != 0) || (i == BH_CONSOLE_HART)) {
            running_harts[num_running_harts] = i;
            num_running_harts++;
        } else if ((num_halted_runs != 0U) && (halted_last[num_halted_runs - 1U] == (i - 1U))) {
            halted_last[num_halted_runs - 1U] = i;
        } else {
            halted_first[num_halted_runs] = i;
            halted_last[num_halted_runs] = i;
            num_halted_runs++;
        }
    }
}

/* Any index into a list of n harts. */
static uint32_t any_index(uint32_t n)
{
    return Frama_C_unsigned_int_interval(0U, n - 1U);
}

/*
 * Before each handler, the registers a guest trap saves and the exit counters
 * of every running hart hold any value, hart by hart (an imprecise pointer
 * would make the whole table unknown). The registers are the attacker's; the
 * frame is its owner's alone (trap_entry.S, arch_vcpu_reset on the hart
 * itself), so making another hart's unknown hides nothing that hart's next
 * handler could read. Each handler counts its exit, so each round of main's
 * loop would otherwise start from a state one count further, which EVA has
 * not seen: it analyzed every handler again, round after round, until
 * widening caught up (about nine rounds). The counters are only counted,
 * printed and read back by a guest (stats.c, stats_report.c,
 * sbi_bulkhead.c): no access or decision depends on their values, so "any
 * value" covers every count a hart can have reached, and the loop settles in
 * a few rounds (docs/safety/proof.md, "Run time").
 */
static void havoc_running_harts(void)
{
    //@ loop unroll BH_NUM_HARTS;
    for (uint32_t k = 0; k < num_running_harts; k++) {
        struct bh_hart *h = &bh_hart_state[running_harts[k]];
        Frama_C_make_unknown((char *)h->frame.x, sizeof h->frame.x);
        h->frame.sepc = Frama_C_size_t_interval(0UL, ~0UL);
        h->frame.sstatus = Frama_C_size_t_interval(0UL, ~0UL);
        h->frame.hstatus = Frama_C_size_t_interval(0UL, ~0UL);
        Frama_C_make_unknown((char *)&h->stats, sizeof h->stats);
        h->shared.mailbox = Frama_C_unsigned_int_interval(0U, ~0U);
        h->shared.hsm_state = Frama_C_unsigned_int_interval(0U, ~0U);
        h->shared.stop_ack = Frama_C_unsigned_int_interval(0U, ~0U);
        if (bh_harts[running_harts[k]].cell != BH_NO_CELL) {
            h->restart_due = Frama_C_size_t_interval(0UL, ~0UL);
        }
    }
}

/*
 * What a handler that does not return leaves behind (a cell stopped or
 * restarted by bh_cell_shutdown, a hart parked or started) is not the state
 * the next handler starts from: the loop of main only goes on from handlers
 * that return (docs/safety/proof.md, "What is not covered"). What only such
 * a handler writes, each cell's and each running hart's, holds any value
 * before each handler instead, a superset of what it can write: the cell's
 * restart history (a restart within the storm window, with earlier ones
 * counted), its fault-report rate limit and quiet flag; a hart's mailbox
 * (BH_MSG_STOP and BH_MSG_START are posted only there), its HSM state
 * (STARTED is set only on the way into a guest), its stop acknowledgment
 * and, on a hart of a cell, when it restarts its cell (havoc_running_harts).
 * A cell's state and epoch are volatile: EVA reads them as any value.
 */
static void havoc_lifecycles(void)
{
    //@ loop unroll BH_NUM_CELLS;
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        struct bh_cell_state *cs = &bh_cell_state[c];
        Frama_C_make_unknown((char *)cs->restart_at, sizeof cs->restart_at);
        cs->restart_next = Frama_C_unsigned_int_interval(0U, ~0U);
        cs->restarts = Frama_C_unsigned_int_interval(0U, ~0U);
        cs->report_at = Frama_C_size_t_interval(0UL, ~0UL);
        cs->reports_suppressed = Frama_C_unsigned_int_interval(0U, ~0U);
        cs->quiet = Frama_C_unsigned_int_interval(0U, ~0U);
    }
}

/*
 * The rest of what a handler that does not return leaves, replayed before
 * each handler by the very functions it calls: any cell may just have been
 * stopped by bh_cell_shutdown (its channel peers told, then bh_cell_end_run:
 * its PCI functions quiesced, its DMA faults forgotten, its console run
 * ended, the stop's lines printed) and then restarted (bh_cell_reset: its
 * vPLIC, vUART and state, doorbell latches and interrupt routing as at boot),
 * in that order; and any hart of a cell may just have entered its guest from
 * the boot or a restart (bh_cell_ready_boot_hart, for a virtual hart 0) or an
 * HSM start (arch_vcpu_reset, at any entry with any arguments: the guest
 * names them through SBI HSM). Each is a choice per cell
 * and per hart, so a handler starts from every mix of cells just restarted
 * and cells running on. Loading the image copies guest memory only.
 */
static void replay_lifecycles(void)
{
    //@ loop unroll BH_NUM_CELLS;
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        if (Frama_C_interval(0, 1) != 0) {
            uint32_t restart = (uint32_t)Frama_C_interval(0, 1);
            bh_doorbell_member_changed(c);
            bh_cell_end_run(c, restart, "fault");
            if (restart != 0U) {
                bh_cell_reset(c);
            }
        }
    }
    //@ loop unroll BH_NUM_HARTS;
    for (uint32_t k = 0; k < num_guest_harts; k++) {
        if (Frama_C_interval(0, 1) != 0) {
            struct bh_hart *h = &bh_hart_state[guest_harts[k]];
            bh_model_tp = h;
            if ((bh_harts[guest_harts[k]].vhart == 0U) && (Frama_C_interval(0, 1) != 0)) {
                bh_cell_ready_boot_hart(h);
            } else {
                arch_vcpu_reset(h, Frama_C_size_t_interval(0UL, ~0UL), Frama_C_size_t_interval(0UL, ~0UL),
                                Frama_C_size_t_interval(0UL, ~0UL));
            }
        }
    }
    bh_model_tp = NULL;
}

/* A trap from the guest running on hart (a hart of a cell): trap_entry.S
 * saved the guest's registers into the hart's frame and set tp to it. */
static void trap_from_guest(uint32_t hart)
{
    struct bh_hart *h = &bh_hart_state[hart];
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

/* A round of the park loop on hart (hart_park.c): its mailbox and pending
 * interrupts served, then its cell restarted if that is due. */
static void park_round(uint32_t hart)
{
    struct bh_hart *h = &bh_hart_state[hart];
    bh_model_tp = h;
    bh_hart_park_round(h);
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
    sort_harts();
    /* The boot hart: any hart the firmware may boot on; each running one in
     * a state of its own, a halted one in the state of its run. The key
     * numbers the states: the halted runs first. */
    uint32_t boot;
    uint32_t boot_key;
    if ((num_halted_runs != 0U) && (Frama_C_interval(0, 1) != 0)) {
        boot_key = any_index(num_halted_runs);
        /*@ split boot_key; */
        boot = Frama_C_unsigned_int_interval(halted_first[boot_key], halted_last[boot_key]);
    } else {
        boot_key = num_halted_runs + any_index(num_running_harts);
        /*@ split boot_key; */
        boot = running_harts[boot_key - num_halted_runs];
    }
    bh_model_tp = NULL;
    if (Frama_C_interval(0, 1) != 0) {
        bh_main(boot);
    }
    /* The setup depends on the boot hart's id only to print it: the handlers
     * below start from one state, whichever hart booted. */
    /*@ merge boot_key; */
    bh_boot_setup(boot);
    uint32_t k = 0U;
    while (Frama_C_interval(0, 1) != 0) {
        /* Each handler of the round before in a state of its own (split
         * below), joined here: the havoc and the replay run once per round,
         * not once per hart (rtos64: 64 times). */
        /*@ merge k; */
        havoc_running_harts();
        havoc_lifecycles();
        replay_lifecycles();
        /* Each hart in a state of its own, so that what a hart of one cell
         * may do is not mixed with what another hart may. The split is on
         * the index into the list: the list's values as a set can exceed
         * what EVA keeps apart (-eva-ilevel) and what it splits. */
        int entry = Frama_C_interval(0, 2);
        if (entry == 0) {
            k = any_index(num_guest_harts);
            /*@ split k; */
            trap_from_guest(guest_harts[k]);
        } else if (entry == 1) {
            k = any_index(num_running_harts);
            /*@ split k; */
            trap_in_hypervisor(running_harts[k]);
        } else {
            k = any_index(num_running_harts);
            /*@ split k; */
            park_round(running_harts[k]);
        }
        bh_model_tp = NULL; /* between handlers, no hart's */
    }
    /* Joined on the way out too, as at the start of a round: otherwise each
     * state of the last round's split is split again below. */
    /*@ merge k; */
    /* bh_main starts every running hart but itself; any running hart may park */
    uint32_t s = any_index(num_running_harts);
    /*@ split s; */
    if (Frama_C_interval(0, 1) != 0) {
        bh_secondary_main(running_harts[s]);
    }
    bh_model_tp = &bh_hart_state[running_harts[s]];
    bh_hart_park_loop(bh_model_tp);
}
