/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console's command keys, as pure logic unit-tested on the host: after
 * the switch key, a cell number moves the input focus, `s` asks for the
 * statistics, the key itself is sent on, anything else asks for help. A cell
 * number has no fixed width, so it scales to any number of cells: it ends by
 * itself once no further digit could name a cell (with up to ten cells one
 * digit acts at once), otherwise with Enter.
 */
#ifndef BULKHEAD_CONSOLE_COMMAND_H
#define BULKHEAD_CONSOLE_COMMAND_H

#include <stdint.h>

enum con_cmd_state { CON_CMD_NONE, CON_CMD_KEY, CON_CMD_NUMBER };

enum con_cmd_action {
    CON_CMD_DELIVER, /* value: a byte for the cell in focus */
    CON_CMD_PENDING, /* nothing yet: a command is being typed */
    CON_CMD_FOCUS,   /* value: the cell that gets the input from now on */
    CON_CMD_NO_CELL, /* value: a number that names no cell */
    CON_CMD_STATS,
    CON_CMD_HELP
};

struct con_cmd {
    enum con_cmd_state state;
    uint32_t number; /* digits so far, while state is CON_CMD_NUMBER */
    uint32_t num_cells;
    uint8_t key; /* the switch key */
};

struct con_cmd_result {
    enum con_cmd_action action;
    uint32_t value;
};

void con_cmd_init(struct con_cmd *c, uint32_t num_cells, uint8_t key);
/* One typed byte: what the console must do with it. */
struct con_cmd_result con_cmd_byte(struct con_cmd *c, uint8_t byte);

#endif
