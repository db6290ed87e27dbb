/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed property access on a flattened device tree, with the failure kind
 * kept apart so that callers can say exactly what is wrong with a property.
 */
#ifndef BHC_FDT_READ_H
#define BHC_FDT_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

enum prop_status {
    PROP_OK = 0,
    PROP_MISSING,
    PROP_BAD, /* present but of the wrong shape */
};

/* One 32-bit cell. */
enum prop_status fdtr_u32(const void *fdt, int node, const char *name, uint32_t *out);

/* A 64-bit number written as <hi lo>; a single cell <v> is accepted too. */
enum prop_status fdtr_u64(const void *fdt, int node, const char *name, uint64_t *out);

/* One NUL-terminated string (not a list). */
enum prop_status fdtr_string(const void *fdt, int node, const char *name, const char **out);

/* Number of strings of a string-list property (0 if missing), -1 if malformed. */
int fdtr_strings(const void *fdt, int node, const char *name);

/* "#address-cells"/"#size-cells" of a node with the DT spec defaults (2, 1). */
uint32_t fdtr_address_cells(const void *fdt, int node);
uint32_t fdtr_size_cells(const void *fdt, int node);

/* Read `count` cells (1 or 2) as one number. */
uint64_t fdtr_read_cells(const uint32_t *cells, uint32_t count);

/*
 * The `reg` of a node, decoded with its parent's #address-cells/#size-cells.
 * Returns the number of entries (0 if no reg) or -1 if malformed; *out is
 * malloc'd.
 */
int fdtr_reg(const void *fdt, int node, struct range **out);

/* The hart id of the cpu whose interrupt controller (a child of the cpu node) has this phandle, or -1. */
int64_t fdtr_hart_of_intc(const void *fdt, uint32_t phandle);
/* true if a string-list property contains `value`. */
bool fdtr_has_string(const void *fdt, int node, const char *name, const char *value);

#endif
