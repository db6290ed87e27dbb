/* SPDX-License-Identifier: Apache-2.0 */
#include "fdt_read.h"

#include <libfdt.h>
#include <string.h>

#include "util.h"

enum prop_status fdtr_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    if (p == NULL) {
        return PROP_MISSING;
    }
    if (len != 4) {
        return PROP_BAD;
    }
    *out = fdt32_to_cpu(p[0]);
    return PROP_OK;
}

enum prop_status fdtr_u64(const void *fdt, int node, const char *name, uint64_t *out)
{
    int len = 0;
    const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

    if (p == NULL) {
        return PROP_MISSING;
    }
    if (len == 8) {
        *out = ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
        return PROP_OK;
    }
    if (len == 4) {
        *out = fdt32_to_cpu(p[0]);
        return PROP_OK;
    }
    return PROP_BAD;
}

enum prop_status fdtr_string(const void *fdt, int node, const char *name, const char **out)
{
    int len = 0;
    const char *p = fdt_getprop(fdt, node, name, &len);

    if (p == NULL) {
        return PROP_MISSING;
    }
    /* Exactly one string: non-empty, NUL only at the end. */
    if (len < 1 || p[len - 1] != '\0' || strlen(p) != (size_t)len - 1U) {
        return PROP_BAD;
    }
    *out = p;
    return PROP_OK;
}

int fdtr_strings(const void *fdt, int node, const char *name)
{
    int len = 0;
    if (fdt_getprop(fdt, node, name, &len) == NULL) {
        return 0;
    }
    int n = fdt_stringlist_count(fdt, node, name);
    return (n < 0) ? -1 : n;
}

static uint32_t cells_or(const void *fdt, int node, const char *name, uint32_t dflt)
{
    uint32_t v = 0;
    return (fdtr_u32(fdt, node, name, &v) == PROP_OK) ? v : dflt;
}

uint32_t fdtr_address_cells(const void *fdt, int node)
{
    return cells_or(fdt, node, "#address-cells", 2U); /* DT spec v0.4, 2.3.5 */
}

uint32_t fdtr_size_cells(const void *fdt, int node)
{
    return cells_or(fdt, node, "#size-cells", 1U);
}

uint64_t fdtr_read_cells(const uint32_t *cells, uint32_t count)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < count; i++) {
        v = (v << 32) | fdt32_to_cpu(cells[i]);
    }
    return v;
}

int fdtr_reg(const void *fdt, int node, struct range **out)
{
    int len = 0;
    const uint32_t *p = fdt_getprop(fdt, node, "reg", &len);
    int parent = fdt_parent_offset(fdt, node);

    *out = NULL;
    if (p == NULL) {
        return 0;
    }
    if (parent < 0) {
        return -1;
    }
    uint32_t ac = fdtr_address_cells(fdt, parent);
    uint32_t sc = fdtr_size_cells(fdt, parent);
    size_t entry = (size_t)(ac + sc) * 4U;
    if (ac < 1U || ac > 2U || sc > 2U || len == 0 || ((size_t)len % entry) != 0U) {
        return -1;
    }
    int n = (int)((size_t)len / entry);
    struct range *r = xcalloc((size_t)n, sizeof(*r));
    for (int i = 0; i < n; i++) {
        const uint32_t *e = p + (size_t)i * (ac + sc);
        r[i].base = fdtr_read_cells(e, ac);
        r[i].size = fdtr_read_cells(e + ac, sc);
    }
    *out = r;
    return n;
}

bool fdtr_has_string(const void *fdt, int node, const char *name, const char *value)
{
    return fdt_stringlist_search(fdt, node, name, value) >= 0;
}

int64_t fdtr_hart_of_intc(const void *fdt, uint32_t phandle)
{
    int intc = fdt_node_offset_by_phandle(fdt, phandle);
    int cpu = (intc >= 0) ? fdt_parent_offset(fdt, intc) : -1;
    uint32_t id = 0;

    if ((cpu < 0) || (fdtr_u32(fdt, cpu, "reg", &id) != PROP_OK)) {
        return -1;
    }
    return id;
}
