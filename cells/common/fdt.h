/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guests' one flattened-device-tree reader (Devicetree Specification
 * v0.4, ch. 5 "Flattened Devicetree (DTB) Format"): fdt_walk() checks the
 * header, walks the structure block token by token and hands every node
 * and property to the caller's callbacks.  Every read is bounds-checked
 * against the header's sizes, so a garbage DTB pointer yields an error
 * instead of a fault (as long as its first 40 bytes can be read).
 *
 * Depth as the callbacks see it: 1 for the root node, 2 for its
 * children, and so on; a property has the depth of the node it belongs to.
 */
#ifndef CELLS_FDT_H
#define CELLS_FDT_H

/* fdt_walk() errors (irqtest prints the number). */
#define FDT_ERR_HEADER	    (-1) /* no pointer, misaligned or bad magic */
#define FDT_ERR_END_NODE    (-3) /* END_NODE outside any node */
#define FDT_ERR_PROP_HEADER (-4) /* property header past the block */
#define FDT_ERR_PROP_VALUE  (-5) /* value past the block, bad name offset */
#define FDT_ERR_TOKEN	    (-6) /* unknown token */
#define FDT_ERR_NO_END	    (-7) /* block ends without FDT_END */
#define FDT_ERR_SIZES	    (-8) /* blocks outside totalsize, or > 1 MiB */
#define FDT_ERR_NAME	    (-9) /* node name not terminated in the block */

struct fdt_visitor {
	/* Each may be 0.  A nonzero return stops the walk, and fdt_walk()
	 * returns that value. */
	int (*begin_node)(void *ctx, unsigned int depth, const char *name);
	int (*end_node)(void *ctx, unsigned int depth);
	int (*prop)(void *ctx, unsigned int depth, const char *name, const unsigned char *val,
		    unsigned long len);
};

/* 0 at FDT_END, an FDT_ERR_* if dtb is not a sane DTB, or what a
 * callback returned to stop the walk. */
int fdt_walk(unsigned long dtb, const struct fdt_visitor *v, void *ctx);

/* Helpers for the callbacks. */
unsigned int fdt_be32(const unsigned char *p);
unsigned long fdt_be64(const unsigned char *p);
int fdt_str_eq(const char *a, const char *b);
/* `cells` big-endian 32-bit cells into *out (1 or 2; else -1). */
int fdt_read_cells(const unsigned char *p, unsigned int cells, unsigned long *out);
/* A string-list property (compatible, device_type) contains s. */
int fdt_list_has(const unsigned char *v, unsigned long len, const char *s);
/* Copies a string property into buf (size > 0), stopping at its NUL, at
 * len bytes or at size - 1 bytes; always NUL-terminates. */
void fdt_copy_str(char *buf, unsigned long size, const unsigned char *v, unsigned long len);

#endif
