/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /chosen/bootargs from the guest DTB, read with the common walker
 * (cells/common/fdt.c; Devicetree Specification v0.4, ch. 5), which
 * bounds-checks every read against the header.
 */
#include "fdt.h"
#include "hostile.h"

#define ARGS_MAX 256

static char args[ARGS_MAX];

struct scan {
	int in_chosen;
};

static int begin_node(void *ctx, unsigned int depth, const char *name)
{
	struct scan *s = ctx;

	if (depth == 2U)
		s->in_chosen = fdt_str_eq(name, "chosen");
	return 0;
}

/* Copies the first /chosen/bootargs and stops the walk (returns 1). */
static int prop(void *ctx, unsigned int depth, const char *name, const unsigned char *val,
		unsigned long len)
{
	const struct scan *s = ctx;

	if (depth != 2U || !s->in_chosen || !fdt_str_eq(name, "bootargs"))
		return 0;
	fdt_copy_str(args, ARGS_MAX, val, len);
	return 1;
}

void bootargs_load(unsigned long dtb)
{
	static const struct fdt_visitor v = {begin_node, 0, prop};
	struct scan s = {0};

	args[0] = '\0';
	(void)fdt_walk(dtb, &v, &s);
}

const char *bootargs(void)
{
	return args;
}

/* Start of the word in args that begins with prefix, or 0. */
static const char *find(const char *prefix, int whole)
{
	const char *s = args;

	while (*s != '\0') {
		const char *w = s, *p = prefix;

		while (*p != '\0' && *w == *p) {
			w++;
			p++;
		}
		if (*p == '\0' && (!whole || *w == ' ' || *w == '\0'))
			return w;
		while (*s != '\0' && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	return 0;
}

int has_word(const char *word)
{
	return find(word, 1) != 0;
}

unsigned long word_value(const char *prefix, unsigned long dflt)
{
	const char *v = find(prefix, 0);
	unsigned long n = 0, base = 10;

	if (v == 0 || *v == '\0' || *v == ' ')
		return dflt;
	if (v[0] == '0' && v[1] == 'x') {
		base = 16;
		v += 2;
	}
	for (; *v != '\0' && *v != ' '; v++) {
		unsigned long d;

		if (*v >= '0' && *v <= '9')
			d = (unsigned long)(*v - '0');
		else if (base == 16 && *v >= 'a' && *v <= 'f')
			d = (unsigned long)(*v - 'a' + 10);
		else
			return dflt;
		n = n * base + d;
	}
	return n;
}
