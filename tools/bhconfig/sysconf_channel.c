/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The /channels node of the system config: each child is one channel, with
 * its size, an optional host-address, and one child node per member cell
 * (named after the cell) giving the cell's guest-address, access ("rw" or
 * "r") and the interrupt line its doorbell raises. Only the shape is checked
 * here; placement and every cross-check: validate_channels.c.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "diag.h"
#include "fdt_read.h"
#include "util.h"

static const char *const channel_props[] = {"size", "host-address"};
static const char *const member_props[] = {"guest-address", "access", "interrupt"};

static bool known(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(name, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

static void check_props(const struct sys *s, int node, const char *where, const char *const *list, size_t n)
{
    int off;

    fdt_for_each_property_offset(off, s->fdt, node)
    {
        const char *name = NULL;
        (void)fdt_getprop_by_offset(s->fdt, off, &name, NULL);
        if (!known(name, list, n)) {
            diag_at(s->file, where, name, "unknown property");
        }
    }
}

static int find_cell(const struct sys *s, const char *name)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        if (strcmp(s->cells[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static void parse_member(const struct sys *s, const struct channel *ch, int node, struct chan_member *m)
{
    char *where = xasprintf("channel '%s': cell '%s'", ch->name, m->name);
    const char *v = NULL;
    bool ok = true;

    check_props(s, node, where, member_props, sizeof(member_props) / sizeof(member_props[0]));
    m->cell = find_cell(s, m->name);
    if (m->cell < 0) {
        diag_at(s->file, where, "node", "no cell of that name under /cells (member nodes are named after cells)");
        ok = false;
    }
    enum prop_status st = fdtr_u64(s->fdt, node, "guest-address", &m->guest);
    if (st != PROP_OK) {
        diag_at(s->file, where, "guest-address", "%s",
                st == PROP_MISSING ? "missing: the channel's guest-physical address in this cell <hi lo>"
                                   : "must be a 64-bit number <hi lo>");
        ok = false;
    }
    st = fdtr_string(s->fdt, node, "access", &v);
    if (st == PROP_OK && strcmp(v, "rw") == 0) {
        m->access = BH_ACCESS_R | BH_ACCESS_W;
    } else if (st == PROP_OK && strcmp(v, "r") == 0) {
        m->access = BH_ACCESS_R;
    } else {
        diag_at(s->file, where, "access", "%s%s%s: must be \"rw\" or \"r\"",
                st == PROP_MISSING ? "missing" : (st == PROP_OK ? "\"" : "not one string"), st == PROP_OK ? v : "",
                st == PROP_OK ? "\" is not allowed" : "");
        ok = false;
    }
    st = fdtr_u32(s->fdt, node, "interrupt", &m->irq);
    if (st != PROP_OK) {
        diag_at(s->file, where, "interrupt", "%s",
                st == PROP_MISSING ? "missing: the virtual PLIC source the doorbell raises in this cell <n>"
                                   : "must be one 32-bit number <n>");
        ok = false;
    }
    m->parsed = ok;
    free(where);
}

static void parse_channel(const struct sys *s, int node, struct channel *ch)
{
    char *where = xasprintf("channel '%s'", ch->name);
    int sub;

    check_props(s, node, where, channel_props, sizeof(channel_props) / sizeof(channel_props[0]));
    enum prop_status st = fdtr_u64(s->fdt, node, "size", &ch->size);
    if (st != PROP_OK) {
        diag_at(s->file, where, "size", "%s",
                st == PROP_MISSING ? "missing: the size in bytes <hi lo>" : "must be a 64-bit number <hi lo>");
        ch->size = 0;
    } else if (ch->size == 0U) {
        diag_at(s->file, where, "size", "is zero");
    }
    st = fdtr_u64(s->fdt, node, "host-address", &ch->host);
    ch->has_host = (st == PROP_OK);
    if (st == PROP_BAD) {
        diag_at(s->file, where, "host-address", "must be a 64-bit number <hi lo>");
    }
    fdt_for_each_subnode(sub, s->fdt, node)
    {
        ch->num_members++;
    }
    ch->members = xcalloc(ch->num_members, sizeof(*ch->members));
    unsigned i = 0;
    fdt_for_each_subnode(sub, s->fdt, node)
    {
        struct chan_member *m = &ch->members[i++];
        m->name = xstrdup(fdt_get_name(s->fdt, sub, NULL));
        parse_member(s, ch, sub, m);
    }
    free(where);
}

void sysconf_parse_channels(struct sys *s)
{
    int top = fdt_path_offset(s->fdt, "/channels");
    int node;

    if (top < 0) {
        return;
    }
    check_props(s, top, "/channels", NULL, 0U);
    fdt_for_each_subnode(node, s->fdt, top)
    {
        s->num_channels++;
    }
    s->channels = xcalloc(s->num_channels, sizeof(*s->channels));
    unsigned i = 0;
    fdt_for_each_subnode(node, s->fdt, top)
    {
        struct channel *ch = &s->channels[i];
        ch->index = i;
        ch->name = xstrdup(fdt_get_name(s->fdt, node, NULL));
        parse_channel(s, node, ch);
        i++;
    }
}

void channels_free(struct sys *s)
{
    for (unsigned i = 0; i < s->num_channels; i++) {
        for (unsigned m = 0; m < s->channels[i].num_members; m++) {
            free(s->channels[i].members[m].name);
        }
        free(s->channels[i].members);
        free(s->channels[i].name);
    }
    free(s->channels);
    s->channels = NULL;
    s->num_channels = 0;
}

int channel_member_of(const struct channel *ch, unsigned cell)
{
    for (unsigned m = 0; m < ch->num_members; m++) {
        if (ch->members[m].cell == (int)cell) {
            return (int)m;
        }
    }
    return -1;
}

unsigned channel_slots_of(const struct sys *s, unsigned cell)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->num_channels; i++) {
        n += (channel_member_of(&s->channels[i], cell) >= 0) ? 1U : 0U;
    }
    return n;
}

unsigned channel_slot(const struct sys *s, unsigned cell, unsigned chan)
{
    unsigned n = 0;
    for (unsigned i = 0; i < chan; i++) {
        n += (channel_member_of(&s->channels[i], cell) >= 0) ? 1U : 0U;
    }
    return n;
}
