/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile guest's entry and trap handler.  See hostile.h for the
 * attacks and docs/faults.md for what the system tests expect of each.
 */
#include "csr.h"
#include "hostile.h"
#include "uart.h"

void guest_main(unsigned long hartid, unsigned long dtb);
void alive_tick(void);

void trap_handler(struct trap_frame *f)
{
	unsigned long code = SCAUSE_CODE(f->scause);

	if ((f->scause & SCAUSE_INTERRUPT) != 0UL) {
		if (code == IRQ_S_TIMER) {
			alive_tick();
		} else if (code == IRQ_S_SOFT) {
			ssi_taken[hart_slot() & 1UL]++;
			csr_clear(sip, SIP_SSIP);
		}
		return;
	}
	if (exc_hook != 0 && exc_hook(f) != 0)
		return;
	say("hostile: unexpected exception scause %x sepc %x stval %x", f->scause, f->sepc,
	    f->stval);
	hang();
}

void guest_main(unsigned long hartid, unsigned long dtb)
{
	struct persist *p;

	csr_write(stvec, (unsigned long)trap_entry);
	bootargs_load(dtb);
	if (!has_word("sbicon"))
		uart_init();
	p = persist_boot();
	say("hostile: boot %u hart %u cursor %u bootargs '%s'", p->boots, hartid, p->cursor,
	    bootargs());
	if (has_word("pristine"))
		pristine_check(p, dtb);

	/* delay=<s>: on the first boot only, let the victim tick a while
	 * before the attack starts. */
	if (p->boots == 1UL && word_value("delay=", 0) != 0UL)
		alive("hostile", word_value("delay=", 0));
	if (has_word("memprobe"))
		memprobe_run(p);
	if (has_word("priv"))
		priv_run(p);
	if (has_word("crash"))
		crash_run(p);
	if (has_word("sbi-fuzz"))
		sbifuzz_run();
	if (has_word("ipi-flood"))
		ipiflood_run();
	if (has_word("spoof"))
		spoof_run();
	if (has_word("steal-input"))
		steal_run();
	if (has_word("conattack"))
		conattack_run();
	if (has_word("storm"))
		storm_run(p);
	if (has_word("shmprobe"))
		shmprobe_run(p);
	if (has_word("aiaprobe"))
		aiaprobe_run();
	if (has_word("dmaprobe"))
		dmaprobe_run(p);
	say("hostile: done");
	if (has_word("legacy-shutdown")) {
		/* The cell's last act: an SBI v0.1 shutdown must stop this
		 * cell alone, never the machine. */
		say("legacy-shutdown: start");
		(void)sbi_legacy(SBI_LEGACY_SHUTDOWN, 0);
		say("legacy-shutdown: returned");
	}
	if (has_word("crash-end")) {
		alive("hostile", 2);
		crash_end();
	}
	alive("hostile", 0);
	hang();
}
