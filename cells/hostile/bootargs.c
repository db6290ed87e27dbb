/*
 * /chosen/bootargs from the guest DTB (Devicetree Specification v0.4,
 * ch. 5: header, structure block of BEGIN_NODE / PROP / END_NODE tokens,
 * strings block).  Every read is bounds-checked against the header.
 */
#include "hostile.h"

#define FDT_MAGIC	0xd00dfeedU
#define FDT_BEGIN_NODE	1U
#define FDT_END_NODE	2U
#define FDT_PROP	3U
#define FDT_NOP		4U
#define FDT_END		9U
#define ARGS_MAX	256

static char args[ARGS_MAX];

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

void bootargs_load(unsigned long dtb)
{
	const unsigned char *b = (const unsigned char *)dtb;
	unsigned long off_struct, off_strings, size_struct, size_strings, pos, end;
	unsigned int depth = 0;
	int in_chosen = 0;

	args[0] = '\0';
	if (dtb == 0UL || (dtb & 3UL) != 0UL || be32(b) != FDT_MAGIC)
		return;
	off_struct = be32(b + 8);
	off_strings = be32(b + 12);
	size_strings = be32(b + 32);
	size_struct = be32(b + 36);
	pos = off_struct;
	end = off_struct + size_struct;
	while (pos + 4UL <= end) {
		unsigned int tok = be32(b + pos);

		pos += 4UL;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)(b + pos);
			unsigned long n = 0;

			while (pos + n < end && name[n] != '\0')
				n++;
			pos = (pos + n + 1UL + 3UL) & ~3UL;
			depth++;
			if (depth == 2U)
				in_chosen = str_eq(name, "chosen");
		} else if (tok == FDT_END_NODE) {
			if (depth == 0U)
				return;
			depth--;
		} else if (tok == FDT_PROP) {
			unsigned long len, nameoff, i;

			if (pos + 8UL > end)
				return;
			len = be32(b + pos);
			nameoff = be32(b + pos + 4);
			pos += 8UL;
			if (pos + len > end || nameoff >= size_strings)
				return;
			if (depth == 2U && in_chosen &&
			    str_eq((const char *)(b + off_strings + nameoff), "bootargs")) {
				for (i = 0; i < len && i < ARGS_MAX - 1 && b[pos + i] != '\0'; i++)
					args[i] = (char)b[pos + i];
				args[i] = '\0';
				return;
			}
			pos = (pos + len + 3UL) & ~3UL;
		} else if (tok != FDT_NOP) {
			return;
		}
	}
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
