/*
 * Minimal DTB walker (Devicetree Specification v0.4, ch. 5): reads the
 * header, walks the structure block token by token and collects
 *   - every (address, size) pair of the `reg` of top-level nodes named
 *     "memory" or "memory@..." (ch. 3.4 "/memory node"),
 *   - the first child of /reserved-memory that has `no-map` and a `reg`
 *     (ch. 3.5 "/reserved-memory Node").
 * #address-cells / #size-cells are taken from the parent node (defaults
 * 2 and 1, ch. 2.3.5).  Every read is bounds-checked against the header's
 * sizes, so a garbage a1 yields an error instead of a fault.
 */
#include "fdt.h"

#define FDT_MAGIC	0xd00dfeedU
#define FDT_BEGIN_NODE	1U
#define FDT_END_NODE	2U
#define FDT_PROP	3U
#define FDT_NOP		4U
#define FDT_END		9U

#define FDT_MAX_TOTALSIZE	0x100000UL	/* refuse anything above 1 MiB */

static unsigned int be32(const unsigned char *p)
{
	return ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) |
	       ((unsigned int)p[2] << 8) | (unsigned int)p[3];
}

static int str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

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

/* Reads `cells` 32-bit big-endian cells (1 or 2 used, more = error). */
static int read_cells(const unsigned char *p, unsigned int cells, unsigned long *out)
{
	if (cells == 1U)
		*out = be32(p);
	else if (cells == 2U)
		*out = ((unsigned long)be32(p) << 32) | be32(p + 4);
	else
		return -1;
	return 0;
}

int fdt_scan(unsigned long dtb, struct fdt_info *info)
{
	const unsigned char *base = (const unsigned char *)dtb;
	unsigned long totalsize, off_struct, off_strings, size_struct, size_strings;
	unsigned long pos, end;
	unsigned int depth = 0;
	/* cells of the root (for /memory) and of /reserved-memory */
	unsigned int root_ac = 2U, root_sc = 1U, resv_ac = 2U, resv_sc = 1U;
	int in_resv = 0, node_is_memory = 0;	/* depth 2 context */
	int child_nomap = 0, child_has_reg = 0;	/* depth 3 under /reserved-memory */
	unsigned long child_base = 0, child_size = 0;

	info->nmem = 0;
	info->have_nomap = 0;
	if (dtb == 0UL || (dtb & 3UL) != 0UL || be32(base) != FDT_MAGIC)
		return -1;
	totalsize = be32(base + 4);
	off_struct = be32(base + 8);
	off_strings = be32(base + 12);
	size_strings = be32(base + 32);
	size_struct = be32(base + 36);	/* header version >= 17 */
	if (totalsize > FDT_MAX_TOTALSIZE || off_struct + size_struct > totalsize ||
	    off_strings + size_strings > totalsize)
		return -2;

	pos = off_struct;
	end = off_struct + size_struct;
	while (pos + 4UL <= end) {
		unsigned int tok = be32(base + pos);

		pos += 4UL;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)(base + pos);
			unsigned long n = 0;

			while (pos + n < end && name[n] != '\0')
				n++;
			if (pos + n >= end)
				return -3;
			pos = (pos + n + 1UL + 3UL) & ~3UL;
			depth++;
			if (depth == 2U) {
				in_resv = str_eq(name, "reserved-memory");
				node_is_memory = is_memory_name(name);
			} else if (depth == 3U) {
				child_nomap = 0;
				child_has_reg = 0;
			}
		} else if (tok == FDT_END_NODE) {
			if (depth == 3U && in_resv && child_nomap && child_has_reg &&
			    !info->have_nomap) {
				info->have_nomap = 1;
				info->nomap_base = child_base;
				info->nomap_size = child_size;
			}
			if (depth == 0U)
				return -4;
			depth--;
		} else if (tok == FDT_PROP) {
			unsigned long len, nameoff;
			const unsigned char *val;
			const char *pname;

			if (pos + 8UL > end)
				return -5;
			len = be32(base + pos);
			nameoff = be32(base + pos + 4);
			pos += 8UL;
			if (pos + len > end || nameoff >= size_strings)
				return -6;
			val = base + pos;
			pname = (const char *)(base + off_strings + nameoff);
			pos = (pos + len + 3UL) & ~3UL;

			if (depth == 1U && len == 4UL) {
				if (str_eq(pname, "#address-cells"))
					root_ac = be32(val);
				else if (str_eq(pname, "#size-cells"))
					root_sc = be32(val);
			} else if (depth == 2U && in_resv && len == 4UL) {
				if (str_eq(pname, "#address-cells"))
					resv_ac = be32(val);
				else if (str_eq(pname, "#size-cells"))
					resv_sc = be32(val);
			} else if (depth == 2U && node_is_memory && str_eq(pname, "reg")) {
				unsigned long stride = 4UL * (root_ac + root_sc), o;

				for (o = 0; stride != 0UL && o + stride <= len &&
					    info->nmem < FDT_MAX_MEM; o += stride) {
					if (read_cells(val + o, root_ac, &info->mem_base[info->nmem]) != 0 ||
					    read_cells(val + o + 4UL * root_ac, root_sc,
						       &info->mem_size[info->nmem]) != 0)
						return -7;
					info->nmem++;
				}
			} else if (depth == 3U && in_resv) {
				if (str_eq(pname, "no-map")) {
					child_nomap = 1;
				} else if (str_eq(pname, "reg") &&
					   len >= 4UL * (resv_ac + resv_sc)) {
					if (read_cells(val, resv_ac, &child_base) != 0 ||
					    read_cells(val + 4UL * resv_ac, resv_sc, &child_size) != 0)
						return -8;
					child_has_reg = 1;
				}
			}
		} else if (tok == FDT_END) {
			return 0;
		} else if (tok != FDT_NOP) {
			return -9;
		}
	}
	return -10;
}
