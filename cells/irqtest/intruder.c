/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intruder mode (bootargs "intruder [irq=<n>] [seconds=<s>]"): a cell that
 * owns no device tries, for <s> seconds (default 3), to take over another
 * cell's source <n> (default 8) through every register of its virtual
 * PLIC (PLIC spec v1.0.0 ch. 3 register map):
 *   - priority[n] := 7                       (ch. 4)
 *   - pending word of n                      (ch. 5, read only)
 *   - enable bit n in contexts 0..7          (ch. 6; QEMU virt -smp 4 has
 *     contexts 0..7, so this names every physical S and M context)
 *   - threshold := 7 in every context but its own S-mode one (ch. 7):
 *     would mask the victim
 *   - claim in contexts 0..7                 (ch. 8): would steal it
 *   - complete n in contexts 0..7            (ch. 9)
 * Every read must return 0: the source and the other contexts do not
 * exist for this cell.  At the end it prints
 *   intruder: <R> rounds, <A> accesses, <Z> non-zero read-backs, vplic_denied +<D>
 *   intruder: done
 * where vplic_denied is its own hart's counter read through the Bulkhead
 * SBI extension.  Natively (no hypervisor) it attacks nothing.
 */
#include "csr.h"
#include "irqtest.h"

#define NCTX	      8U
#define THRESHOLD_BAD 7U

struct tally {
	unsigned long accesses;
	unsigned long nonzero;
	unsigned long first_addr;
	unsigned int first_value;
};

static void wr(struct tally *t, unsigned long addr, unsigned int v)
{
	mmio_w32(addr, v);
	t->accesses++;
}

static void rd(struct tally *t, unsigned long addr, unsigned int mask)
{
	unsigned int v = mmio_r32(addr) & mask;

	t->accesses++;
	if (v != 0U) {
		if (t->nonzero == 0UL) {
			t->first_addr = addr;
			t->first_value = v;
		}
		t->nonzero++;
	}
}

static void attack(struct tally *t, unsigned int src, unsigned long own)
{
	unsigned long word = src / 32U;
	unsigned int bit = 1U << (src % 32U);
	unsigned long c;

	wr(t, PLIC_PRIORITY(src), PLIC_MAX_PRIORITY);
	rd(t, PLIC_PRIORITY(src), ~0U);
	rd(t, PLIC_PENDING(word), ~0U);
	for (c = 0; c < NCTX; c++) {
		wr(t, PLIC_ENABLE(c, word), bit);
		rd(t, PLIC_ENABLE(c, word), ~0U);
		if (c != own) {
			wr(t, PLIC_THRESHOLD(c), THRESHOLD_BAD);
			rd(t, PLIC_THRESHOLD(c), ~0U);
		}
		rd(t, PLIC_CLAIM(c), ~0U);
		wr(t, PLIC_CLAIM(c), src);
	}
}

void intruder_main(unsigned long hartid, const struct dt_info *dt)
{
	unsigned int src = (unsigned int)dt_arg_num(dt, "irq", 8);
	unsigned long secs = dt_arg_num(dt, "seconds", 3);
	unsigned long own = 2UL * hartid + 1UL, rounds = 0, end;
	struct tally t = {0, 0, 0, 0};
	struct sbiret d0, d1;
	struct pbuf pb;

	d0 = bh_counter(BH_STAT_VPLIC_DENIED);
	if (d0.error != SBI_SUCCESS) {
		pb_init(&pb);
		pb_str(&pb, "intruder: Bulkhead SBI get_counter: ");
		pb_sbierr(&pb, d0.error);
		pb_str(&pb, ": not in a cell, nothing to attack");
		out(&pb);
		say("intruder: done");
		halt();
	}
	if (src == 0U || src >= 32U * 32U)
		src = 8U;

	pb_init(&pb);
	pb_str(&pb, "intruder: attacking source ");
	pb_udec(&pb, src);
	pb_str(&pb,
	       " through priority, pending, enable, threshold, claim and complete of contexts 0..");
	pb_udec(&pb, NCTX - 1U);
	pb_str(&pb, " for ");
	pb_udec(&pb, secs);
	pb_str(&pb, " s");
	out(&pb);

	end = rdtime() + secs * TIMEBASE_HZ;
	while (!time_after(rdtime(), end)) {
		attack(&t, src, own);
		rounds++;
	}
	d1 = bh_counter(BH_STAT_VPLIC_DENIED);

	pb_init(&pb);
	pb_str(&pb, "intruder: ");
	pb_udec(&pb, rounds);
	pb_str(&pb, " rounds, ");
	pb_udec(&pb, t.accesses);
	pb_str(&pb, " accesses, ");
	pb_udec(&pb, t.nonzero);
	pb_str(&pb, " non-zero read-backs, vplic_denied +");
	pb_udec(&pb, (unsigned long)(d1.value - d0.value));
	out(&pb);
	if (t.nonzero != 0UL) {
		pb_init(&pb);
		pb_str(&pb, "intruder: first non-zero read-back: ");
		pb_hex(&pb, t.first_addr);
		pb_str(&pb, " = ");
		pb_hex(&pb, t.first_value);
		out(&pb);
	}
	say("intruder: done");
	halt();
}
