/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pristine: a restart must hand the cell its image and DTB as built, not the
 * memory the crashed run left behind (requirement FLT-3). On every boot this
 * checks a marker in the image's .data and a checksum of the whole DTB
 * against their pristine values, then scribbles on both, so a restart that
 * does not re-copy them is seen by the next boot.
 *
 * Output: "pristine: boot <n> image stale" / "... dtb stale" per bad boot,
 * and pristine_summary()'s "pristine: boots <n> checked <n> stale <n>".
 */
#include "hostile.h"

#define IMAGE_MARKER  0x7072697374696e65UL /* "pristine" */
#define FDT_MAGIC     0xd00dfeedUL
#define DTB_MAX	      0x10000UL /* the guest DTB slot: 64 KiB */
#define DTB_SCRIBBLED 31UL	/* low byte of boot_cpuid_phys: read by nobody */

/* In .data: loaded with the image, never written by start.S. */
static volatile unsigned long image_marker = IMAGE_MARKER;

static unsigned long be32(const volatile unsigned char *b)
{
	return ((unsigned long)b[0] << 24) | ((unsigned long)b[1] << 16) |
	       ((unsigned long)b[2] << 8) | (unsigned long)b[3];
}

/* FNV-1a over the DTB's totalsize bytes; 0 for a blob without a valid header. */
static unsigned long dtb_sum(unsigned long dtb)
{
	const volatile unsigned char *b = (const volatile unsigned char *)dtb;
	unsigned long size, i, h = 0xcbf29ce484222325UL;

	if (be32(b) != FDT_MAGIC)
		return 0;
	size = be32(b + 4);
	if (size < 40UL || size > DTB_MAX)
		return 0;
	for (i = 0; i < size; i++) {
		h ^= b[i];
		h *= 0x100000001b3UL;
	}
	return h;
}

void pristine_check(struct persist *p, unsigned long dtb)
{
	unsigned long sum = dtb_sum(dtb);
	int stale = 0;

	if (image_marker != IMAGE_MARKER) {
		say("pristine: boot %u image stale (marker %x)", p->boots, image_marker);
		stale = 1;
	}
	if (p->boots == 1UL) {
		p->dtb_sum = sum; /* the first boot's DTB is the one the hypervisor built */
	} else if (sum == 0UL || sum != p->dtb_sum) {
		say("pristine: boot %u dtb stale (sum %x, first boot %x)", p->boots, sum,
		    p->dtb_sum);
		stale = 1;
	}
	if (p->boots > 1UL)
		p->pristine_checked++;
	if (stale)
		p->pristine_stale++;
	image_marker = ~IMAGE_MARKER;
	((volatile unsigned char *)dtb)[DTB_SCRIBBLED] ^= 0xffU;
	__asm__ volatile("fence rw, rw" ::: "memory");
}

void pristine_summary(const struct persist *p)
{
	say("pristine: boots %u checked %u stale %u", p->boots, p->pristine_checked,
	    p->pristine_stale);
}
