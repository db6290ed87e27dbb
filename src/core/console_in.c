/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Console input: typed bytes go to the cell in focus. The UART's receive
 * interrupt follows the focus: it is routed only to the hart of the focus
 * cell's virtual hart 0 (its S-mode PLIC context or IMSIC supervisor file), so what is typed to one cell costs
 * exits on that cell's hart alone. A cell that claims in hardware (direct
 * interrupt mode) must never see the hypervisor's UART source in its
 * context: while such a cell has the focus, the console hart the config
 * compiler chose (BH_CONSOLE_HART: a hart in no cell if there is one) takes
 * the interrupt instead.
 */
#include "bulkhead/console_in.h"
#include "bulkhead/console_command.h"
#include "bulkhead/cell.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"
#include "bulkhead/ns16550.h"
#include "bulkhead/hostirq.h"
#include "bulkhead/rxq.h"
#include "bulkhead/stats_report.h"
#include "autoconf.h"

_Static_assert(BH_NUM_CELLS <= 64U, "bh_console_receive reports the cells that got input in 64 bits");

static struct bh_rxq inputs[BH_NUM_CELLS];
/* Starts at cell 0; written only under receive_lock (bh_console_receive), from console_route_byte's decision. */
static uint32_t focus;
static struct con_cmd command_keys; /* guarded by bh_console_receive's lock */
static volatile uint32_t rx_hart = BH_CONSOLE_HART;

static uint32_t rx_hart_for(uint32_t cell)
{
    return (bh_cells[cell].direct_irq == 0U) ? bh_cells[cell].harts[0] : (uint32_t)BH_CONSOLE_HART;
}

uint32_t bh_console_rx_hart(void)
{
    return __atomic_load_n(&rx_hart, __ATOMIC_ACQUIRE);
}

/* Moves the receive interrupt to the new focus cell's hart. The new target is
 * published before its enable bit is set: a hart re-initialising its context
 * (a cell restart) re-enables the source if it reads itself as the target. */
static void route_receive_interrupt(uint32_t cell)
{
    uint32_t from = rx_hart;
    uint32_t to = rx_hart_for(cell);

    if (from == to) {
        return;
    }
    __atomic_store_n(&rx_hart, to, __ATOMIC_RELEASE);
    hostirq_enable(to, BH_UART_IRQ);
    hostirq_disable(from, BH_UART_IRQ);
}

void bh_console_route_init(void)
{
    con_cmd_init(&command_keys, (uint32_t)BH_NUM_CELLS, (uint8_t)CONFIG_CONSOLE_SWITCH_KEY);
    __atomic_store_n(&rx_hart, rx_hart_for(focus), __ATOMIC_RELEASE);
}

struct bh_rxq *bh_console_cell_input(uint32_t cell)
{
    return &inputs[cell];
}

int bh_console_cell_getc(uint32_t cell)
{
    return rxq_get(&inputs[cell]);
}

/* What one command-key result does to the input: the cell that gets its
 * byte, BH_NO_CELL if none does, and the focus after it. */
struct con_route {
    uint32_t to;
    uint32_t focus;
};

/* The one decision of where typed input goes; bh_console_receive delivers a
 * byte only to `to` and keeps `focus` as the new focus. The contract is
 * proved by WP (`make prove`, docs/safety/proof.md; proves: CON-5): a byte
 * goes to the cell in focus and to no other, a command delivers nothing, and
 * the focus only ever names a configured cell (a cell number past the last
 * leaves it where it was; con_cmd_byte reports such a number as
 * CON_CMD_NO_CELL before it gets here). */
/*@ requires focus_now < BH_NUM_CELLS;
    assigns \nothing;
    ensures \result.focus < BH_NUM_CELLS;
    behavior input:
      assumes r.action == CON_CMD_DELIVER;
      ensures \result.to == focus_now && \result.focus == focus_now;
    behavior new_focus:
      assumes r.action == CON_CMD_FOCUS && r.value < BH_NUM_CELLS;
      ensures \result.to == BH_NO_CELL && \result.focus == r.value;
    behavior no_input:
      assumes r.action != CON_CMD_DELIVER;
      assumes r.action != CON_CMD_FOCUS || r.value >= BH_NUM_CELLS;
      ensures \result.to == BH_NO_CELL && \result.focus == focus_now;
    complete behaviors;
    disjoint behaviors;
*/
static struct con_route console_route_byte(uint32_t focus_now, struct con_cmd_result r)
{
    struct con_route d;

    d.to = BH_NO_CELL;
    d.focus = focus_now;
    if (r.action == CON_CMD_DELIVER) {
        d.to = focus_now;
    } else if ((r.action == CON_CMD_FOCUS) && (r.value < BH_NUM_CELLS)) {
        d.focus = r.value;
    } else {
        /* a command, or a part of one: no byte for any cell */
    }
    return d;
}

/* Returns the cell's bit for bh_console_receive's result (a full queue drops the byte, as a real UART overrun would). */
static uint64_t deliver(uint32_t cell, uint8_t byte)
{
    (void)rxq_put(&inputs[cell], byte);
    return 1ULL << cell;
}

static void print_help(void)
{
    const unsigned last_cell = (unsigned)BH_NUM_CELLS - 1U;

    bh_info("console: key 0x%x then: cell number 0-%u (Enter ends a number a longer one starts), "
            "s statistics, h help, key again sends it",
            (unsigned)CONFIG_CONSOLE_SWITCH_KEY, last_cell);
    for (uint32_t i = 0; i < BH_NUM_CELLS; i++) {
        bh_info("console: %u = %s, %s%s", (unsigned)i, bh_cells[i].name, bh_cell_state_name(i),
                (i == focus) ? " (focus)" : "");
    }
}

uint64_t bh_console_receive(void)
{
    /* Right after a focus change the old and the new target hart may both be
     * here: one drains the FIFO at a time, so typed bytes keep their order. */
    static struct bh_lock receive_lock;
    uint64_t got_input = 0U;

    bh_lock_acquire(&receive_lock);
    for (int c = ns16550_getc(); c >= 0; c = ns16550_getc()) {
        const struct con_cmd_result r = con_cmd_byte(&command_keys, (uint8_t)c);
        const struct con_route d = console_route_byte(focus, r);

        if (d.to != BH_NO_CELL) {
            got_input |= deliver(d.to, (uint8_t)r.value);
        }
        focus = d.focus;
        switch (r.action) {
        case CON_CMD_FOCUS:
            route_receive_interrupt(focus);
            bh_info("console: input goes to cell %s", bh_cells[focus].name);
            break;
        case CON_CMD_NO_CELL:
            bh_info("console: no cell %u (0-%u)", (unsigned)r.value, (unsigned)BH_NUM_CELLS - 1U);
            break;
        case CON_CMD_STATS: bh_stats_print_all("request"); break;
        case CON_CMD_HELP: print_help(); break;
        default: /* CON_CMD_DELIVER: delivered above; CON_CMD_PENDING: more keys make the command */ break;
        }
    }
    bh_lock_release(&receive_lock);
    return got_input;
}
