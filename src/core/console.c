#include "bulkhead/console.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/lib.h"
#include "bulkhead/log.h"
#include "bulkhead/ns16550.h"
#include "bulkhead/stats.h"
#include "bulkhead/vuart.h"
#include "autoconf.h"

#define LINE_MAX 160U
#define RX_SIZE  64U /* power of two */

struct cell_console {
    struct bh_lock lock;
    char line[LINE_MAX];
    uint32_t len;
    uint8_t rx[RX_SIZE];
    volatile uint32_t rx_head; /* written by the console hart only */
    volatile uint32_t rx_tail; /* written by the cell's harts only */
};

static struct cell_console consoles[BH_NUM_CELLS];
static uint32_t focus;

void bh_console_init(void)
{
    ns16550_init();
}

void bh_console_write_line(const char *tag, const char *text, size_t len)
{
    static struct bh_lock uart_lock;

    bh_lock_acquire(&uart_lock);
    ns16550_putc('[');
    for (const char *t = tag; *t != '\0'; t++) {
        ns16550_putc(*t);
    }
    ns16550_putc(']');
    ns16550_putc(' ');
    for (size_t i = 0; i < len; i++) {
        ns16550_putc(text[i]);
    }
    ns16550_putc('\r');
    ns16550_putc('\n');
    bh_lock_release(&uart_lock);
}

void bh_console_cell_putc(uint32_t cell, char c)
{
    struct cell_console *con = &consoles[cell];

    /* A carriage return only moves the cursor; the tag marks line starts. */
    if (c == '\r') {
        return;
    }
    bh_lock_acquire(&con->lock);
    if (c != '\n') {
        /* Control characters could move the cursor over another cell's lines. */
        con->line[con->len] = ((((uint8_t)c < 0x20U) && (c != '\t')) || ((uint8_t)c == 0x7fU)) ? '.' : c;
        con->len++;
    }
    if ((c == '\n') || (con->len == LINE_MAX)) {
        bh_console_write_line(bh_cells[cell].name, con->line, con->len);
        con->len = 0;
    }
    bh_lock_release(&con->lock);
}

int bh_console_cell_has_input(uint32_t cell)
{
    const struct cell_console *con = &consoles[cell];
    return (con->rx_head != con->rx_tail) ? 1 : 0;
}

int bh_console_cell_getc(uint32_t cell)
{
    struct cell_console *con = &consoles[cell];
    int c = -1;

    bh_lock_acquire(&con->lock);
    if (con->rx_head != con->rx_tail) {
        c = (int)con->rx[con->rx_tail % RX_SIZE];
        con->rx_tail++;
    }
    bh_lock_release(&con->lock);
    return c;
}

static void deliver(uint32_t cell, uint8_t byte)
{
    struct cell_console *con = &consoles[cell];

    bh_lock_acquire(&con->lock);
    /* A full queue drops the byte, as a real UART overrun would. */
    if ((con->rx_head - con->rx_tail) < RX_SIZE) {
        con->rx[con->rx_head % RX_SIZE] = byte;
        con->rx_head++;
    }
    bh_lock_release(&con->lock);
    bh_vuart_input_ready(cell);
}

static void print_help(void)
{
    const unsigned last_cell = (unsigned)BH_NUM_CELLS - 1U;

    bh_info("console: key 0x%x then: 0-%u focus cell, s statistics, h help, key again sends it",
            (unsigned)CONFIG_CONSOLE_SWITCH_KEY, last_cell);
    for (uint32_t i = 0; i < BH_NUM_CELLS; i++) {
        bh_info("console: %u = %s%s", (unsigned)i, bh_cells[i].name, (i == focus) ? " (focus)" : "");
    }
}

static void command(uint8_t key)
{
    if ((key >= (uint8_t)'0') && (((uint32_t)key - (uint32_t)'0') < BH_NUM_CELLS)) {
        focus = (uint32_t)key - (uint32_t)'0';
        bh_info("console: input goes to cell %s", bh_cells[focus].name);
    } else if (key == (uint8_t)'s') {
        bh_stats_print_all("request");
    } else if (key == (uint8_t)CONFIG_CONSOLE_SWITCH_KEY) {
        deliver(focus, key);
    } else {
        print_help();
    }
}

void bh_console_receive(void)
{
    static int command_pending; /* the switch key came: the next byte is a command */

    for (int c = ns16550_getc(); c >= 0; c = ns16550_getc()) {
        uint8_t byte = (uint8_t)c;
        if (command_pending != 0) {
            command_pending = 0;
            command(byte);
        } else if (byte == (uint8_t)CONFIG_CONSOLE_SWITCH_KEY) {
            command_pending = 1;
        } else {
            deliver(focus, byte);
        }
    }
}
