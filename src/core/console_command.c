/* SPDX-License-Identifier: Apache-2.0 */
/* The console's command keys (console_command.h). */
#include "bulkhead/console_command.h"

#include <stdbool.h>

void con_cmd_init(struct con_cmd *c, uint32_t num_cells, uint8_t key)
{
    c->state = CON_CMD_NONE;
    c->number = 0U;
    c->num_cells = num_cells;
    c->key = key;
}

static struct con_cmd_result result(enum con_cmd_action action, uint32_t value)
{
    struct con_cmd_result r;

    r.action = action;
    r.value = value;
    return r;
}

static struct con_cmd_result number_end(struct con_cmd *c)
{
    c->state = CON_CMD_NONE;
    return (c->number < c->num_cells) ? result(CON_CMD_FOCUS, c->number) : result(CON_CMD_NO_CELL, c->number);
}

/* The number is complete when appending a digit could only name a cell past
 * the last one; "0" is complete as no number starts with a zero. */
static struct con_cmd_result number_digit(struct con_cmd *c, uint8_t digit)
{
    c->number = (c->number * 10U) + ((uint32_t)digit - (uint32_t)'0');
    c->state = CON_CMD_NUMBER;
    if ((c->number == 0U) || (c->number >= ((c->num_cells + 9U) / 10U))) {
        return number_end(c);
    }
    return result(CON_CMD_PENDING, 0U);
}

static struct con_cmd_result after_key(struct con_cmd *c, uint8_t byte)
{
    c->state = CON_CMD_NONE;
    if (byte == (uint8_t)'s') {
        return result(CON_CMD_STATS, 0U);
    }
    if (byte == c->key) {
        return result(CON_CMD_DELIVER, byte);
    }
    return result(CON_CMD_HELP, 0U);
}

struct con_cmd_result con_cmd_byte(struct con_cmd *c, uint8_t byte)
{
    const bool digit = (byte >= (uint8_t)'0') && (byte <= (uint8_t)'9');
    struct con_cmd_result r;

    if (c->state == CON_CMD_NONE) {
        if (byte == c->key) {
            c->state = CON_CMD_KEY;
            r = result(CON_CMD_PENDING, 0U);
        } else {
            r = result(CON_CMD_DELIVER, byte);
        }
    } else if (digit) {
        if (c->state == CON_CMD_KEY) {
            c->number = 0U;
        }
        r = number_digit(c, byte);
    } else if (c->state == CON_CMD_NUMBER) {
        if ((byte == (uint8_t)'\r') || (byte == (uint8_t)'\n')) {
            r = number_end(c);
        } else {
            c->state = CON_CMD_NONE;
            r = result(CON_CMD_HELP, 0U);
        }
    } else {
        r = after_key(c, byte);
    }
    return r;
}
