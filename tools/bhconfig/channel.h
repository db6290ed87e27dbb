/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared-memory channels (docs/shmem.md): the system config's /channels node,
 * parsed into struct channel (sysconf_channel.c), and the questions every
 * later stage asks about them: which cells a channel has, and which doorbell
 * slot of a cell serves which channel.
 */
#ifndef BHC_CHANNEL_H
#define BHC_CHANNEL_H

#include "model.h"

/* Parse /channels if present (no channel otherwise). Needs s->cells. */
void sysconf_parse_channels(struct sys *s);
void channels_free(struct sys *s);

/* The member index of cell `cell` in channel ch, -1 if it is not a member. */
int channel_member_of(const struct channel *ch, unsigned cell);

/* How many channels cell `cell` belongs to: its doorbell slots. */
unsigned channel_slots_of(const struct sys *s, unsigned cell);

/* The doorbell slot of `cell` that serves channel `chan` (which must have it as a member):
 * the number of earlier channels that cell belongs to. */
unsigned channel_slot(const struct sys *s, unsigned cell, unsigned chan);

/* Whether the system has at least one channel with a member in `cell`. */
static inline bool cell_in_channel(const struct sys *s, unsigned cell)
{
    return channel_slots_of(s, cell) > 0U;
}

#endif
