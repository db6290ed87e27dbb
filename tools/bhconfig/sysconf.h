/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system config (configs/<name>.dts): root identity, the hypervisor's
 * region and one node per cell. Parsing checks the shape of every property;
 * the cross-checks against the platform live in validate_*.c.
 */
#ifndef BHC_SYSCONF_H
#define BHC_SYSCONF_H

#include <stdbool.h>

#include "model.h"

/*
 * Parse a compiled system blob (kept: s->fdt = fdt). `platform_name` is the
 * name bulkhead,platform must match (NULL: not checked, for --list-images);
 * `fault_default` applies to cells without fault-policy. Returns false only
 * when the tree is unusable (no /cells); property problems are diagnostics.
 */
bool sysconf_parse(const char *file, void *fdt, const char *platform_name, enum fault_policy fault_default,
                   struct sys *s);

/* Run dtc on the .dts and parse it. */
bool sysconf_load(const char *file, const char *platform_name, enum fault_policy fault_default, struct sys *s);

void sysconf_free(struct sys *s);

/* One cell node (sysconf_cell.c). */
void sysconf_parse_cell(const struct sys *s, int node, struct cell *c);

/* A cell name as a C identifier: every other character becomes '_'. */
char *sysconf_ident(const char *name);

#endif
