/*
 * Just enough device-tree reading for irqtest (Devicetree Specification
 * v0.4, ch. 5 "Flattened Devicetree (DTB) Format"): every node whose
 * compatible list holds "virtio,mmio" (its first reg address and first
 * interrupt), the sources named by any node's "interrupts" (in a cell's
 * DTB: exactly the sources of its virtual PLIC), the /memory ranges and
 * /chosen/bootargs.  QEMU virt and
 * Bulkhead's guest DTBs use #address-cells = #size-cells = 2 for these
 * nodes.  Every read is bounds-checked against the header.
 */
#include "irqtest.h"

#define FDT_MAGIC	0xd00dfeedU
#define FDT_BEGIN_NODE	1U
#define FDT_END_NODE	2U
#define FDT_PROP	3U
#define FDT_NOP		4U
#define FDT_END		9U
#define MAX_DEPTH	16U

struct node {
	int virtio;
	int memory;
	int chosen;
	int have_reg;
	unsigned long reg_base;
	unsigned long reg_size;
	unsigned int irq;
	int have_irq;
};

static unsigned int be32(const unsigned char *p)
{
	return ((unsigned int)p[0] << 24) | ((unsigned int)p[1] << 16) |
	       ((unsigned int)p[2] << 8) | (unsigned int)p[3];
}

static unsigned long be64(const unsigned char *p)
{
	return ((unsigned long)be32(p) << 32) | be32(p + 4);
}

static int str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix != '\0') {
		if (*s++ != *prefix++)
			return 0;
	}
	return 1;
}

/* A string list property (compatible) contains s. */
static int list_has(const unsigned char *v, unsigned long len, const char *s)
{
	unsigned long i = 0;

	while (i < len) {
		if (str_eq((const char *)(v + i), s))
			return 1;
		while (i < len && v[i] != 0U)
			i++;
		i++;
	}
	return 0;
}

static void prop(struct node *n, unsigned int depth, const char *name,
		 const unsigned char *v, unsigned long len, struct dt_info *dt)
{
	unsigned long i;

	if (str_eq(name, "compatible") && list_has(v, len, "virtio,mmio")) {
		n->virtio = 1;
	} else if (str_eq(name, "device_type") && list_has(v, len, "memory")) {
		n->memory = 1;
	} else if (str_eq(name, "reg") && len >= 16UL) {
		n->have_reg = 1;
		n->reg_base = be64(v);
		n->reg_size = be64(v + 8);
	} else if (str_eq(name, "interrupts") && len >= 4UL) {
		n->irq = be32(v);
		n->have_irq = 1;
	} else if (str_eq(name, "bootargs") && n->chosen && depth == 2U) {
		for (i = 0; i < len && i < BOOTARGS_MAX - 1U && v[i] != 0U; i++)
			dt->bootargs[i] = (char)v[i];
		dt->bootargs[i] = '\0';
	}
}

static void node_done(const struct node *n, struct dt_info *dt)
{
	if (n->have_irq && n->irq < 32U * FDT_IRQ_WORDS)
		dt->own_irqs[n->irq / 32U] |= 1U << (n->irq % 32U);
	if (!n->have_reg)
		return;
	if (n->virtio && dt->ndev < FDT_MAX_DEVS) {
		dt->dev_base[dt->ndev] = n->reg_base;
		dt->dev_irq[dt->ndev] = n->irq;
		dt->ndev++;
	} else if (n->memory && dt->nmem < FDT_MAX_MEM) {
		dt->mem_base[dt->nmem] = n->reg_base;
		dt->mem_size[dt->nmem] = n->reg_size;
		dt->nmem++;
	}
}

int dt_scan(unsigned long dtb, struct dt_info *dt)
{
	const unsigned char *b = (const unsigned char *)dtb;
	struct node stack[MAX_DEPTH];
	unsigned long off_struct, off_strings, size_strings, pos, end;
	unsigned int depth = 0;

	dt->ndev = 0;
	dt->nmem = 0;
	dt->bootargs[0] = '\0';
	for (depth = 0; depth < FDT_IRQ_WORDS; depth++)
		dt->own_irqs[depth] = 0;
	depth = 0;
	if (dtb == 0UL || (dtb & 3UL) != 0UL || be32(b) != FDT_MAGIC)
		return -1;
	off_struct = be32(b + 8);
	off_strings = be32(b + 12);
	size_strings = be32(b + 32);
	pos = off_struct;
	end = off_struct + be32(b + 36);
	while (pos + 4UL <= end) {
		unsigned int tok = be32(b + pos);

		pos += 4UL;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)(b + pos);
			unsigned long n = 0;

			while (pos + n < end && name[n] != '\0')
				n++;
			pos = (pos + n + 1UL + 3UL) & ~3UL;
			if (depth >= MAX_DEPTH)
				return -2;
			stack[depth] = (struct node){ 0 };
			/* depth 0 = root, 1 = its children */
			stack[depth].memory = depth == 1U && starts_with(name, "memory");
			stack[depth].chosen = depth == 1U && str_eq(name, "chosen");
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (depth == 0U)
				return -3;
			depth--;
			node_done(&stack[depth], dt);
		} else if (tok == FDT_PROP) {
			unsigned long len, nameoff;

			if (pos + 8UL > end)
				return -4;
			len = be32(b + pos);
			nameoff = be32(b + pos + 4);
			pos += 8UL;
			if (pos + len > end || nameoff >= size_strings)
				return -5;
			if (depth > 0U)
				prop(&stack[depth - 1U], depth, (const char *)(b + off_strings + nameoff),
				     b + pos, len, dt);
			pos = (pos + len + 3UL) & ~3UL;
		} else if (tok == FDT_NOP) {
			continue;
		} else if (tok == FDT_END) {
			return 0;
		} else {
			return -6;
		}
	}
	return -7;
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
				unsigned long d = (c >= '0' && c <= '9') ? (unsigned long)(c - '0') :
						  (c >= 'a' && c <= 'f') ? (unsigned long)(c - 'a' + 10) :
						  (c >= 'A' && c <= 'F') ? (unsigned long)(c - 'A' + 10) : 16UL;
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
