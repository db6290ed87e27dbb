/* SPDX-License-Identifier: Apache-2.0 */
#include "sysconf.h"

#include <ctype.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "diag.h"
#include "dtc.h"
#include "fdt_read.h"
#include "util.h"

char *sysconf_ident(const char *name)
{
    char *id = xstrdup(name);
    for (char *q = id; *q != '\0'; q++) {
        if (!isalnum((unsigned char)*q) && *q != '_') {
            *q = '_';
        }
    }
    return id;
}

/* Typos in property or node names must not pass silently as "absent". */
static void check_root_names(const struct sys *s)
{
    static const char *const props[] = {"compatible", "model", "bulkhead,platform", "#address-cells", "#size-cells"};
    const void *fdt = s->fdt;
    int off;
    int node;

    fdt_for_each_property_offset(off, fdt, 0)
    {
        const char *name = NULL;
        (void)fdt_getprop_by_offset(fdt, off, &name, NULL);
        bool known = false;
        for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
            known = known || strcmp(name, props[i]) == 0;
        }
        if (!known) {
            diag_at(s->file, "/", name, "unknown property");
        }
    }
    fdt_for_each_subnode(node, fdt, 0)
    {
        const char *name = fdt_get_name(fdt, node, NULL);
        if (strcmp(name, "hypervisor") != 0 && strcmp(name, "cells") != 0 && strcmp(name, "channels") != 0) {
            diag_at(s->file, "/", name, "unknown node (expected hypervisor, cells and channels)");
        }
    }
}

static void parse_root(struct sys *s, const char *platform_name)
{
    const void *fdt = s->fdt;
    const char *v = NULL;

    check_root_names(s);

    enum prop_status st = fdtr_string(fdt, 0, "compatible", &v);
    if (st != PROP_OK || strcmp(v, "bulkhead,system") != 0) {
        diag_at(s->file, "/", "compatible", "must be \"bulkhead,system\"%s%s%s", st == PROP_OK ? " (got \"" : "",
                st == PROP_OK ? v : "", st == PROP_OK ? "\")" : "");
    }
    if (fdtr_string(fdt, 0, "model", &v) != PROP_OK || v[0] == '\0') {
        diag_at(s->file, "/", "model", "missing: the system name, a string");
        s->model = xstrdup("unnamed");
    } else {
        s->model = xstrdup(v);
    }
    st = fdtr_string(fdt, 0, "bulkhead,platform", &v);
    if (platform_name != NULL && st == PROP_OK && strcmp(v, platform_name) != 0) {
        diag_at(s->file, "/", "bulkhead,platform", "\"%s\" does not match the platform given (\"%s\")", v,
                platform_name);
    } else if (st == PROP_BAD) {
        diag_at(s->file, "/", "bulkhead,platform", "must be one string");
    }
}

static void parse_hypervisor(struct sys *s)
{
    const void *fdt = s->fdt;
    int node = fdt_path_offset(fdt, "/hypervisor");
    int len = 0;

    if (node < 0) {
        diag_at(s->file, "hypervisor", "reg", "missing /hypervisor node with reg = <base64 size64>");
        return;
    }
    const fdt32_t *v = fdt_getprop(fdt, node, "reg", &len);
    if (v == NULL || len != 16) {
        diag_at(s->file, "hypervisor", "reg", "must be <base-hi base-lo size-hi size-lo> (4 cells)");
        return;
    }
    s->hyp.base = ((uint64_t)fdt32_to_cpu(v[0]) << 32) | fdt32_to_cpu(v[1]);
    s->hyp.size = ((uint64_t)fdt32_to_cpu(v[2]) << 32) | fdt32_to_cpu(v[3]);
    s->has_hyp = true;
}

bool sysconf_parse(const char *file, void *fdt, const char *platform_name, enum fault_policy fault_default,
                   struct sys *s)
{
    int cells;
    int node;

    memset(s, 0, sizeof(*s));
    s->file = file;
    s->fdt = fdt;
    parse_root(s, platform_name);
    parse_hypervisor(s);
    cells = fdt_path_offset(fdt, "/cells");
    if (cells < 0) {
        diag_at(file, "/cells", "node", "missing: one child node per cell");
        return false;
    }
    fdt_for_each_subnode(node, fdt, cells)
    {
        s->num_cells++;
    }
    if (s->num_cells == 0U) {
        diag_at(file, "/cells", "node", "no cell defined");
        return false;
    }
    s->cells = xcalloc(s->num_cells, sizeof(*s->cells));
    unsigned i = 0;
    fdt_for_each_subnode(node, fdt, cells)
    {
        struct cell *c = &s->cells[i];
        c->index = i;
        c->fault = fault_default;
        sysconf_parse_cell(s, node, c);
        i++;
    }
    sysconf_parse_channels(s);
    return true;
}

bool sysconf_load(const char *file, const char *platform_name, enum fault_policy fault_default, struct sys *s)
{
    size_t size = 0;
    void *fdt = dtc_compile(file, &size);
    if (fdt == NULL) {
        memset(s, 0, sizeof(*s));
        return false;
    }
    return sysconf_parse(file, fdt, platform_name, fault_default, s);
}

static void free_cell(struct cell *c)
{
    for (unsigned r = 0; r < c->num_regions; r++) {
        free(c->regions[r].name);
    }
    for (unsigned d = 0; d < c->num_devices; d++) {
        free(c->devices[d]);
    }
    free(c->name);
    free(c->ident);
    free(c->harts);
    free(c->regions);
    free(c->devices);
    free(c->dev_index);
    for (unsigned f = 0; f < c->num_pci; f++) {
        free(c->pci[f].node);
    }
    free(c->pci);
    free(c->irqs);
    free(c->vgein);
    free(c->image);
    free(c->bootargs);
    free(c->image_path);
    free(c->dtb);
}

void sysconf_free(struct sys *s)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        free_cell(&s->cells[i]);
    }
    free(s->cells);
    channels_free(s);
    free(s->model);
    free(s->fdt);
    memset(s, 0, sizeof(*s));
}
