/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Just enough device-tree reading for irqtest, on the common walker
 * (cells/common/fdt.c; Devicetree Specification v0.4, ch. 5): every node
 * whose compatible list holds "virtio,mmio" (its first reg address and
 * first interrupt), the sources named by any node's "interrupts" (in a
 * cell's DTB: exactly the sources of its virtual PLIC), the base of an
 * APLIC ("riscv,aplic": an "aia" cell's domain), the /memory
 * ranges and /chosen/bootargs.  QEMU virt and
 * Bulkhead's guest DTBs use #address-cells = #size-cells = 2 for these
 * nodes.  The walker bounds-checks every read against the header.
 */
#include "fdt.h"
#include "irqtest.h"

#define MAX_DEPTH 16U
#define ERR_DEPTH (-2) /* nodes nested deeper than MAX_DEPTH */

struct node {
	int virtio;
	int aplic;
	int memory;
	int chosen;
	int have_reg;
	unsigned long reg_base;
	unsigned long reg_size;
	unsigned int irq;
	int have_irq;
};

struct scan {
	struct dt_info *dt;
	struct node stack[MAX_DEPTH]; /* [0] = root, [1] = its children */
};

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix != '\0') {
		if (*s++ != *prefix++)
			return 0;
	}
	return 1;
}

static int begin_node(void *ctx, unsigned int depth, const char *name)
{
	struct scan *s = ctx;
	struct node *n;

	if (depth > MAX_DEPTH)
		return ERR_DEPTH;
	n = &s->stack[depth - 1U];
	*n = (struct node){0};
	n->memory = depth == 2U && starts_with(name, "memory");
	n->chosen = depth == 2U && fdt_str_eq(name, "chosen");
	return 0;
}

static int prop(void *ctx, unsigned int depth, const char *name, const unsigned char *v,
		unsigned long len)
{
	struct scan *s = ctx;
	struct node *n;

	if (depth == 0U)
		return 0;
	n = &s->stack[depth - 1U];
	if (fdt_str_eq(name, "compatible") && fdt_list_has(v, len, "virtio,mmio")) {
		n->virtio = 1;
	} else if (fdt_str_eq(name, "compatible") && fdt_list_has(v, len, "riscv,aplic")) {
		n->aplic = 1;
	} else if (fdt_str_eq(name, "device_type") && fdt_list_has(v, len, "memory")) {
		n->memory = 1;
	} else if (fdt_str_eq(name, "reg") && len >= 16UL) {
		n->have_reg = 1;
		n->reg_base = fdt_be64(v);
		n->reg_size = fdt_be64(v + 8);
	} else if (fdt_str_eq(name, "interrupts") && len >= 4UL) {
		n->irq = fdt_be32(v);
		n->have_irq = 1;
	} else if (fdt_str_eq(name, "bootargs") && n->chosen && depth == 2U) {
		fdt_copy_str(s->dt->bootargs, BOOTARGS_MAX, v, len);
	}
	return 0;
}

static int end_node(void *ctx, unsigned int depth)
{
	struct scan *s = ctx;
	const struct node *n = &s->stack[depth - 1U];
	struct dt_info *dt = s->dt;

	if (n->have_irq && n->irq < 32U * FDT_IRQ_WORDS)
		dt->own_irqs[n->irq / 32U] |= 1U << (n->irq % 32U);
	if (!n->have_reg)
		return 0;
	if (n->virtio && dt->ndev < FDT_MAX_DEVS) {
		dt->dev_base[dt->ndev] = n->reg_base;
		dt->dev_irq[dt->ndev] = n->irq;
		dt->ndev++;
	} else if (n->aplic) {
		dt->aplic_base = n->reg_base;
	} else if (n->memory && dt->nmem < FDT_MAX_MEM) {
		dt->mem_base[dt->nmem] = n->reg_base;
		dt->mem_size[dt->nmem] = n->reg_size;
		dt->nmem++;
	}
	return 0;
}

int dt_scan(unsigned long dtb, struct dt_info *dt)
{
	static const struct fdt_visitor v = {begin_node, end_node, prop};
	struct scan s;
	unsigned int i;

	s.dt = dt;
	dt->ndev = 0;
	dt->nmem = 0;
	dt->aplic_base = 0;
	dt->bootargs[0] = '\0';
	for (i = 0; i < FDT_IRQ_WORDS; i++)
		dt->own_irqs[i] = 0;
	return fdt_walk(dtb, &v, &s);
}

/* The word of the bootargs starting at *p, advanced past it; 0 at the end. */
static unsigned long next_word(const char **p, const char **start)
{
	const char *s = *p;
	unsigned long n = 0;

	while (*s == ' ')
		s++;
	*start = s;
	while (s[n] != '\0' && s[n] != ' ')
		n++;
	*p = s + n;
	return n;
}

int dt_arg_word(const struct dt_info *dt, const char *w)
{
	const char *p = dt->bootargs, *start;
	unsigned long n, i;

	while ((n = next_word(&p, &start)) != 0UL) {
		for (i = 0; i < n && w[i] == start[i]; i++)
			;
		if (i == n && w[i] == '\0')
			return 1;
	}
	return 0;
}

unsigned long dt_arg_num(const struct dt_info *dt, const char *key, unsigned long dflt)
{
	const char *p = dt->bootargs, *start;
	unsigned long n, i, v;

	while ((n = next_word(&p, &start)) != 0UL) {
		for (i = 0; i < n && key[i] != '\0' && key[i] == start[i]; i++)
			;
		if (key[i] != '\0' || i >= n || start[i] != '=')
			continue;
		i++;
		v = 0;
		if (i + 1 < n && start[i] == '0' && (start[i + 1] == 'x' || start[i + 1] == 'X')) {
			for (i += 2; i < n; i++) {
				char c = start[i];
				unsigned long d =
					(c >= '0' && c <= '9')	 ? (unsigned long)(c - '0')
					: (c >= 'a' && c <= 'f') ? (unsigned long)(c - 'a' + 10)
					: (c >= 'A' && c <= 'F') ? (unsigned long)(c - 'A' + 10)
								 : 16UL;
				if (d > 15UL)
					return dflt;
				v = v * 16UL + d;
			}
		} else {
			for (; i < n; i++) {
				if (start[i] < '0' || start[i] > '9')
					return dflt;
				v = v * 10UL + (unsigned long)(start[i] - '0');
			}
		}
		return v;
	}
	return dflt;
}
