/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hostile guest (cells/hostile): one image, several attacks, chosen by
 * the words of /chosen/bootargs in its DTB (docs/faults.md lists them):
 *
 *   memprobe      read, write and jump to every probe point outside its map
 *   sbi-fuzz      seeded random SBI calls (seed=<n>, calls=<n>)
 *   ipi-flood     IPIs and remote fences naming foreign harts, then a flood
 *   priv          privileged instructions and CSRs a VS-mode guest may not use
 *   crash         instruction fetches outside its map, a crash of its second
 *                 hart, then a hang with interrupts off
 *   spoof         lines that imitate the victim's and the hypervisor's output
 *   steal-input   reads every console input path while the victim is typed to
 *   shmprobe      a read-only member of one shared-memory channel and no member
 *                 of another: loads, stores and rings at their addresses and
 *                 its doorbell page, then a ring storm (configs/hostile-shmem.dts)
 *   crash-end     after everything else: one fetch fault (for policy "stop")
 *   legacy-shutdown  after everything else: an SBI v0.1 shutdown of the cell
 *   pristine      on every boot: the image and DTB are the pristine ones
 *                 (a restart re-copied them), then scribble on both
 *
 * Attacks that end in a fault of the cell (memprobe, priv, crash) need the
 * cell's fault-policy "restart": each boot continues at a cursor kept in RAM
 * outside the image (the hypervisor re-copies only image and DTB), so each
 * fault moves the attack to its next point.
 *
 * Memory map (configs/hostile-*.dts): RAM at guest-physical 0x100000000
 * (64 MiB), image at 0x100200000, DTB at the default (RAM end - 64 KiB).
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "sbi.h"
#include "trap.h"

#define HOSTILE_RAM_BASE 0x100000000UL
#define HOSTILE_RAM_SIZE 0x4000000UL
/* Survives a restart: outside the image and below the DTB. */
#define PERSIST_ADDR 0x103f00000UL

#define TIMEBASE_HZ 10000000UL /* QEMU virt timebase-frequency */

struct persist {
	unsigned long magic;
	unsigned long boots;		/* 1 on the first boot */
	unsigned long cursor;		/* next point of the attack */
	unsigned long check;		/* magic ^ boots ^ cursor ^ salt */
	unsigned long count[8];		/* attack-specific tallies */
	unsigned long dtb_sum;		/* pristine: checksum of the first boot's DTB */
	unsigned long pristine_checked; /* pristine: boots after the first checked */
	unsigned long pristine_stale;	/* pristine: boots that found stale memory */
};

/* The block at PERSIST_ADDR, validated (zeroed if not valid), boots + 1. */
struct persist *persist_boot(void);
void persist_cursor(struct persist *p, unsigned long cursor);

/* Line output on the emulated NS16550, one whole line per call under a lock
 * (both harts may print).  %s %c %u (unsigned long) %d (long) %x (0x-hex). */
void say(const char *fmt, ...);
/* Text without a line end, as a prompt is: the line stays open. */
void say_unended(const char *text);

/* A small deterministic generator (xorshift64*). */
unsigned long rng_next(unsigned long *state);

/* Bootargs: 1 if the word is present; word_value("seed=", default). */
int has_word(const char *word);
unsigned long word_value(const char *prefix, unsigned long dflt);
/* Reads /chosen/bootargs of the DTB at dtb into the copy word_* use. */
void bootargs_load(unsigned long dtb);
const char *bootargs(void);

/* An exception hook: returns 1 if it handled the trap (sepc adjusted). */
typedef int (*exc_hook_fn)(struct trap_frame *f);
extern volatile exc_hook_fn exc_hook;
/* Software interrupts taken per slot (0 = boot hart, 1 = second hart). */
extern volatile unsigned long ssi_taken[2];

/* Spins with interrupts on, printing "<what> alive <n>" every second for
 * `seconds` seconds (0: forever), then returns. */
void alive(const char *what, unsigned long seconds);
/* Starts virtual hart 1 at fn(); fn runs on the second stack. */
long start_second_hart(void (*fn)(void));
/* Virtual hart 1 as a receiver of software interrupts (started once, then
 * kept); receiver_report() returns how many it has taken so far. */
void receiver_start(void);
unsigned long receiver_report(void);
/* pace=<ms> in bootargs: wait that long (interrupts as they are) before each
 * point of a cursor-driven attack, so the attack spans several victim ticks. */
void pace(void);
/* Interrupts off, spin forever. */
void hang(void) __attribute__((noreturn));
/* Lengths of the instruction at pc: 2 or 4. */
unsigned long insn_length(unsigned long pc);

/* One access of an exact instruction kind (memprobe.c): loads return what
 * they read, stores write value; x jumps there (a stored c.ret returns). */
enum kind { LD, LW, LB, CLW, SD, SW, SB, CSW, AMO, JMP };
extern const char *const kind_name[];
unsigned long access(unsigned int kind, unsigned long addr, unsigned long value);

/* The attacks; each returns when done (or never, through a fault). */
void memprobe_run(struct persist *p);
void sbifuzz_run(void);
void priv_run(struct persist *p);
void ipiflood_run(void);
void crash_run(struct persist *p);
void crash_end(void) __attribute__((noreturn));
void spoof_run(void);
void steal_run(void);
void conattack_run(void);
void storm_run(struct persist *p);
/* pristine: check the image and DTB this boot got, then scribble on both. */
void pristine_check(struct persist *p, unsigned long dtb);
void pristine_summary(const struct persist *p);
void shmprobe_run(struct persist *p);
void aiaprobe_run(void);
void dmaprobe_run(struct persist *p);

#endif
