/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the probe reads from its device tree (cells/probe/fdt.c, on the
 * common walker cells/common/fdt.h): the /memory ranges and the first
 * no-map /reserved-memory region.
 */
#ifndef PROBE_FDT_H
#define PROBE_FDT_H

#define FDT_MAX_MEM 8

struct fdt_info {
	unsigned int nmem; /* /memory ranges found */
	unsigned long mem_base[FDT_MAX_MEM];
	unsigned long mem_size[FDT_MAX_MEM];
	int have_nomap; /* a no-map reserved region was found */
	unsigned long nomap_base;
	unsigned long nomap_size;
};

/* 0 on success, a negative number if dtb is not a sane DTB. */
int fdt_scan(unsigned long dtb, struct fdt_info *info);

#endif
