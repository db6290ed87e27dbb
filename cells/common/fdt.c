/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guests' flattened-device-tree walker (fdt.h; Devicetree
 * Specification v0.4, ch. 5).  Used by probe (/memory, no-map
 * /reserved-memory), irqtest (virtio-mmio nodes, interrupts, /memory,
 * /chosen/bootargs) and hostile (/chosen/bootargs).
 */
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE   2U
#define FDT_PROP       3U
#define FDT_NOP	       4U
#define FDT_END	       9U

#define FDT_MAX_TOTALSIZE 0x100000UL /* refuse anything above 1 MiB */

unsigned int fdt_be32(const unsigned char *p)
{
	return ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) | ((unsigned int)p[2] << 8) |
	       (unsigned int)p[3];
}

unsigned long fdt_be64(const unsigned char *p)
{
	return ((unsigned long)fdt_be32(p) << 32) | fdt_be32(p + 4);
}

int fdt_str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int fdt_read_cells(const unsigned char *p, unsigned int cells, unsigned long *out)
{
	if (cells == 1U)
		*out = fdt_be32(p);
	else if (cells == 2U)
		*out = fdt_be64(p);
	else
		return -1;
	return 0;
}

int fdt_list_has(const unsigned char *v, unsigned long len, const char *s)
{
	unsigned long i = 0;

	while (i < len) {
		if (fdt_str_eq((const char *)(v + i), s))
			return 1;
		while (i < len && v[i] != 0U)
			i++;
		i++;
	}
	return 0;
}

void fdt_copy_str(char *buf, unsigned long size, const unsigned char *v, unsigned long len)
{
	unsigned long i;

	for (i = 0; i < len && i < size - 1UL && v[i] != 0U; i++)
		buf[i] = (char)v[i];
	buf[i] = '\0';
}

int fdt_walk(unsigned long dtb, const struct fdt_visitor *v, void *ctx)
{
	const unsigned char *b = (const unsigned char *)dtb;
	unsigned long totalsize, off_struct, off_strings, size_struct, size_strings;
	unsigned long pos, end;
	unsigned int depth = 0;
	int rc;

	if (dtb == 0UL || (dtb & 3UL) != 0UL || fdt_be32(b) != FDT_MAGIC)
		return FDT_ERR_HEADER;
	totalsize = fdt_be32(b + 4);
	off_struct = fdt_be32(b + 8);
	off_strings = fdt_be32(b + 12);
	size_strings = fdt_be32(b + 32);
	size_struct = fdt_be32(b + 36); /* header version >= 17 */
	if (totalsize > FDT_MAX_TOTALSIZE || off_struct + size_struct > totalsize ||
	    off_strings + size_strings > totalsize)
		return FDT_ERR_SIZES;

	pos = off_struct;
	end = off_struct + size_struct;
	while (pos + 4UL <= end) {
		unsigned int tok = fdt_be32(b + pos);

		pos += 4UL;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)(b + pos);
			unsigned long n = 0;

			while (pos + n < end && name[n] != '\0')
				n++;
			if (pos + n >= end)
				return FDT_ERR_NAME;
			pos = (pos + n + 1UL + 3UL) & ~3UL;
			depth++;
			if (v->begin_node != 0 && (rc = v->begin_node(ctx, depth, name)) != 0)
				return rc;
		} else if (tok == FDT_END_NODE) {
			if (depth == 0U)
				return FDT_ERR_END_NODE;
			if (v->end_node != 0 && (rc = v->end_node(ctx, depth)) != 0)
				return rc;
			depth--;
		} else if (tok == FDT_PROP) {
			unsigned long len, nameoff;
			const unsigned char *val;

			if (pos + 8UL > end)
				return FDT_ERR_PROP_HEADER;
			len = fdt_be32(b + pos);
			nameoff = fdt_be32(b + pos + 4);
			pos += 8UL;
			if (pos + len > end || nameoff >= size_strings)
				return FDT_ERR_PROP_VALUE;
			val = b + pos;
			pos = (pos + len + 3UL) & ~3UL;
			if (v->prop != 0 &&
			    (rc = v->prop(ctx, depth, (const char *)(b + off_strings + nameoff),
					  val, len)) != 0)
				return rc;
		} else if (tok == FDT_END) {
			return 0;
		} else if (tok != FDT_NOP) {
			return FDT_ERR_TOKEN;
		}
	}
	return FDT_ERR_NO_END;
}
