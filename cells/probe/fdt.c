/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The probe's reading of its DTB, on the common walker (cells/common/fdt.c;
 * Devicetree Specification v0.4, ch. 5).  Collects
 *   - every (address, size) pair of the `reg` of top-level nodes named
 *     "memory" or "memory@..." (ch. 3.4 "/memory node"),
 *   - the first child of /reserved-memory that has `no-map` and a `reg`
 *     (ch. 3.5 "/reserved-memory Node").
 * #address-cells / #size-cells are taken from the parent node (defaults
 * 2 and 1, ch. 2.3.5).  The walker bounds-checks every read, so a garbage
 * a1 yields an error instead of a fault.
 */
#include "fdt.h"
#include "probe_fdt.h"

#define ERR_MEM_CELLS  (-10) /* /memory reg with unusable cell counts */
#define ERR_RESV_CELLS (-11) /* /reserved-memory child likewise */

struct scan {
	struct fdt_info *info;
	/* cells of the root (for /memory) and of /reserved-memory */
	unsigned int root_ac, root_sc, resv_ac, resv_sc;
	int in_resv, node_is_memory;	/* depth 2 context */
	int child_nomap, child_has_reg; /* depth 3 under /reserved-memory */
	unsigned long child_base, child_size;
};

/* "memory" or "memory@<unit-address>" */
static int is_memory_name(const char *n)
{
	const char *m = "memory";

	while (*m != '\0' && *n == *m) {
		n++;
		m++;
	}
	return *m == '\0' && (*n == '\0' || *n == '@');
}

static int begin_node(void *ctx, unsigned int depth, const char *name)
{
	struct scan *s = ctx;

	if (depth == 2U) {
		s->in_resv = fdt_str_eq(name, "reserved-memory");
		s->node_is_memory = is_memory_name(name);
	} else if (depth == 3U) {
		s->child_nomap = 0;
		s->child_has_reg = 0;
	}
	return 0;
}

static int end_node(void *ctx, unsigned int depth)
{
	struct scan *s = ctx;
	struct fdt_info *info = s->info;

	if (depth == 3U && s->in_resv && s->child_nomap && s->child_has_reg && !info->have_nomap) {
		info->have_nomap = 1;
		info->nomap_base = s->child_base;
		info->nomap_size = s->child_size;
	}
	return 0;
}

/* #address-cells / #size-cells of a node into *ac / *sc. */
static void cell_counts(const char *pname, const unsigned char *val, unsigned int *ac,
			unsigned int *sc)
{
	if (fdt_str_eq(pname, "#address-cells"))
		*ac = fdt_be32(val);
	else if (fdt_str_eq(pname, "#size-cells"))
		*sc = fdt_be32(val);
}

static int prop(void *ctx, unsigned int depth, const char *pname, const unsigned char *val,
		unsigned long len)
{
	struct scan *s = ctx;
	struct fdt_info *info = s->info;

	if (depth == 1U && len == 4UL) {
		cell_counts(pname, val, &s->root_ac, &s->root_sc);
	} else if (depth == 2U && s->in_resv && len == 4UL) {
		cell_counts(pname, val, &s->resv_ac, &s->resv_sc);
	} else if (depth == 2U && s->node_is_memory && fdt_str_eq(pname, "reg")) {
		unsigned long stride = 4UL * (s->root_ac + s->root_sc), o;

		for (o = 0; stride != 0UL && o + stride <= len && info->nmem < FDT_MAX_MEM;
		     o += stride) {
			if (fdt_read_cells(val + o, s->root_ac, &info->mem_base[info->nmem]) != 0 ||
			    fdt_read_cells(val + o + 4UL * s->root_ac, s->root_sc,
					   &info->mem_size[info->nmem]) != 0)
				return ERR_MEM_CELLS;
			info->nmem++;
		}
	} else if (depth == 3U && s->in_resv) {
		if (fdt_str_eq(pname, "no-map")) {
			s->child_nomap = 1;
		} else if (fdt_str_eq(pname, "reg") && len >= 4UL * (s->resv_ac + s->resv_sc)) {
			if (fdt_read_cells(val, s->resv_ac, &s->child_base) != 0 ||
			    fdt_read_cells(val + 4UL * s->resv_ac, s->resv_sc, &s->child_size) != 0)
				return ERR_RESV_CELLS;
			s->child_has_reg = 1;
		}
	}
	return 0;
}

int fdt_scan(unsigned long dtb, struct fdt_info *info)
{
	static const struct fdt_visitor v = {begin_node, end_node, prop};
	struct scan s = {
		.info = info,
		.root_ac = 2U,
		.root_sc = 1U,
		.resv_ac = 2U,
		.resv_sc = 1U,
	};

	info->nmem = 0;
	info->have_nomap = 0;
	return fdt_walk(dtb, &v, &s);
}
