/* SPDX-License-Identifier: Apache-2.0 */
#include "kconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

struct limit {
    const char *name;
    unsigned lo;
    unsigned hi; /* ranges as in the top-level Kconfig */
    unsigned *field;
    bool seen;
};

/* Value of CONFIG_<name>=... on this line, or NULL. */
static const char *value_of(const char *line, const char *name)
{
    static const char prefix[] = "CONFIG_";
    const size_t p = sizeof(prefix) - 1U;
    size_t n = strlen(name);
    if (strncmp(line, prefix, p) != 0 || strncmp(line + p, name, n) != 0 || line[p + n] != '=') {
        return NULL;
    }
    return line + p + n + 1U;
}

static bool parse_uint(const char *s, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || v > 0xffffffffUL) {
        return false;
    }
    *out = (unsigned)v;
    return true;
}

static void parse_stack_size(const char *file, const char *v, struct kconf *out, bool *ok)
{
    unsigned size = 0;
    if (!parse_uint(v, &size) || size < HART_STACK_MIN || size > HART_STACK_MAX || (size % SZ_4K) != 0U) {
        diag_at(file, "CONFIG", "HART_STACK_SIZE", "\"%s\" is not a multiple of 4 KiB in 0x%x..0x%x", v, HART_STACK_MIN,
                HART_STACK_MAX);
        *ok = false;
    } else {
        out->hart_stack_size = size;
    }
}

static void parse_switch_key(const char *file, const char *v, struct kconf *out, bool *ok)
{
    unsigned key = 0;
    if (!parse_uint(v, &key) || key < 1U || key > 0x1fU) {
        diag_at(file, "CONFIG", "CONSOLE_SWITCH_KEY", "\"%s\" is not a control character 0x1..0x1f", v);
        *ok = false;
    } else {
        out->console_switch_key = key;
    }
}

/* The options that are not table limits. */
static void parse_option(const char *file, const char *line, struct kconf *out, bool *ok)
{
    const char *v;

    if ((v = value_of(line, "FAULT_POLICY_RESTART")) != NULL && strcmp(v, "y") == 0) {
        out->fault_default = FAULT_RESTART;
    } else if ((v = value_of(line, "FAULT_POLICY_STOP")) != NULL && strcmp(v, "y") == 0) {
        out->fault_default = FAULT_STOP;
    } else if ((v = value_of(line, "HART_STACK_SIZE")) != NULL) {
        parse_stack_size(file, v, out, ok);
    } else if ((v = value_of(line, "CONSOLE_SWITCH_KEY")) != NULL) {
        parse_switch_key(file, v, out, ok);
    }
}

static void parse_line(const char *file, const char *line, struct limit *lims, unsigned nlims, struct kconf *out,
                       bool *ok)
{
    for (unsigned i = 0; i < nlims; i++) {
        const char *v = value_of(line, lims[i].name);
        if (v == NULL) {
            continue;
        }
        unsigned n = 0;
        if (!parse_uint(v, &n) || n < lims[i].lo || n > lims[i].hi) {
            diag_at(file, "CONFIG", lims[i].name, "\"%s\" is not a number in %u..%u", v, lims[i].lo, lims[i].hi);
            *ok = false;
        } else {
            *lims[i].field = n;
        }
        lims[i].seen = true;
        return;
    }
    parse_option(file, line, out, ok);
}

bool kconfig_parse(const char *file, const char *text, struct kconf *out)
{
    struct limit lims[] = {
        {"MAX_CELL_HARTS", 1U, 64U, &out->max_cell_harts, false},
        {"MAX_CELLS", 1U, 64U, &out->max_cells, false},
        {"MAX_CELL_REGIONS", 1U, 16U, &out->max_regions, false},
        {"MAX_CELL_DEVICES", 1U, 16U, &out->max_devices, false},
        {"MAX_CELL_IRQS", 1U, 64U, &out->max_irqs, false},
    };
    const unsigned nlims = sizeof(lims) / sizeof(lims[0]);
    bool ok = true;

    memset(out, 0, sizeof(*out));
    out->file = file;
    out->fault_default = FAULT_STOP; /* Kconfig: default FAULT_POLICY_STOP */
    out->console_switch_key = 0x14U; /* Kconfig: default 0x14 (Ctrl-T) */
    out->hart_stack_size = 0x4000U;  /* Kconfig: default 0x4000 */

    const char *p = text;
    while (*p != '\0') {
        const char *nl = strchr(p, '\n');
        size_t n = (nl != NULL) ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, n);
        if (n > 0U && line[n - 1U] == '\r') {
            line[n - 1U] = '\0';
        }
        parse_line(file, line, lims, nlims, out, &ok);
        free(line);
        p += n;
        if (*p == '\n') {
            p++;
        }
    }
    /* The limits size the hypervisor's tables: no silent defaults for them. */
    for (unsigned i = 0; i < nlims; i++) {
        if (!lims[i].seen) {
            diag_at(file, "CONFIG", lims[i].name, "missing (run the Kconfig step that writes this file)");
            ok = false;
        }
    }
    return ok;
}

bool kconfig_load(const char *file, struct kconf *out)
{
    FILE *f = fopen(file, "r");
    if (f == NULL) {
        diag_line("%s: cannot read: %s", file, strerror(errno));
        memset(out, 0, sizeof(*out));
        return false;
    }
    size_t cap = 4096U;
    size_t len = 0U;
    char *text = xmalloc(cap);
    size_t n;
    while ((n = fread(text + len, 1U, cap - len - 1U, f)) > 0U) {
        len += n;
        if (len + 1U == cap) {
            cap *= 2U;
            text = xrealloc(text, cap);
        }
    }
    (void)fclose(f); /* read-only: nothing to flush */
    text[len] = '\0';
    bool ok = kconfig_parse(file, text, out);
    free(text);
    return ok;
}
