/* SPDX-License-Identifier: Apache-2.0 */
/*
 * irqtest: the interrupt-path test guest (docs/interrupts.md).
 *
 * One image, two behaviours chosen by /chosen/bootargs:
 *   (default)  drives a passed-through virtio-mmio entropy device
 *              (virtio-rng) to raise device interrupts through the PLIC
 *              (or, in an "aia" cell, its APLIC domain and IMSIC file)
 *              and counts the exits each interrupt costs, using the
 *              hypervisor's own counters (Bulkhead SBI extension);
 *   "intruder" owns no device and tries to reach another cell's source
 *              (bootargs "irq=<n>", default 8) through every register of
 *              its virtual PLIC, then reports what it read back.
 * Console: SBI DBCN (or legacy putchar), so it runs in a cell with
 * console = "sbi" or "ns16550" and natively on OpenSBI alike.
 */
#ifndef IRQTEST_H
#define IRQTEST_H

#include "print.h"
#include "sbi.h"

/* /cpus/timebase-frequency of QEMU virt (dts/qemu-virt.dts). */
#define TIMEBASE_HZ 10000000UL

/*
 * PLIC register map (RISC-V PLIC specification v1.0.0, ch. 3 "Memory
 * Map"): priorities, pending bits, per-context enable bits, per-context
 * threshold and claim/complete.  On QEMU virt context 2h is hart h's
 * M-mode and 2h+1 its S-mode context; in a cell the same holds for its
 * virtual harts.
 */
#define PLIC_BASE	       0x0c000000UL
#define PLIC_PRIORITY(src)     (PLIC_BASE + 4UL * (src))
#define PLIC_PENDING(word)     (PLIC_BASE + 0x1000UL + 4UL * (word))
#define PLIC_ENABLE(ctx, word) (PLIC_BASE + 0x2000UL + 0x80UL * (ctx) + 4UL * (word))
#define PLIC_THRESHOLD(ctx)    (PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)	       (PLIC_THRESHOLD(ctx) + 4UL)
#define PLIC_MAX_PRIORITY      7U

static inline void mmio_w32(unsigned long addr, unsigned int v)
{
	*(volatile unsigned int *)addr = v;
}

static inline unsigned int mmio_r32(unsigned long addr)
{
	return *(volatile unsigned int *)addr;
}

/* ---- out.c: console through SBI */
void out_init(void);
void out(const struct pbuf *pb); /* writes pb, then CR LF */
void say(const char *s);	 /* one line */
/* "NOT_SUPPORTED" etc. appended to pb */
void pb_sbierr(struct pbuf *pb, long err);

/* ---- aia.c: the interrupt controller of an "aia" cell (APLIC in MSI mode + IMSIC file) */
void aia_enable_source(unsigned long aplic, unsigned int src, unsigned long vhart);
unsigned int aia_claim(void);
unsigned long aia_top(void);

/* ---- fdt.c: what the guest needs from its device tree */
#define FDT_MAX_DEVS  8
#define FDT_MAX_MEM   8
#define BOOTARGS_MAX  128
#define FDT_IRQ_WORDS 4 /* sources 0..127 */

struct dt_info {
	unsigned int ndev; /* compatible "virtio,mmio" nodes */
	unsigned long dev_base[FDT_MAX_DEVS];
	unsigned int dev_irq[FDT_MAX_DEVS];
	unsigned int nmem; /* /memory ranges */
	unsigned long mem_base[FDT_MAX_MEM];
	unsigned long mem_size[FDT_MAX_MEM];
	char bootargs[BOOTARGS_MAX];
	unsigned int own_irqs[FDT_IRQ_WORDS]; /* bit s: some node has interrupts = <s> */
	unsigned long aplic_base;	      /* 0: no APLIC, the cell has a (virtual) PLIC */
};

/* 0 on success, negative if dtb is not a readable DTB. */
int dt_scan(unsigned long dtb, struct dt_info *dt);
/* Value of "key=<number>" in the bootargs, or dflt. */
unsigned long dt_arg_num(const struct dt_info *dt, const char *key, unsigned long dflt);
/* 1 if the bootargs contain the word w. */
int dt_arg_word(const struct dt_info *dt, const char *w);

/* ---- virtio.c: a virtio-mmio entropy device with one request queue */
#define VIRTIO_MAGIC	  0x74726976U /* "virt" */
#define VIRTIO_ID_ENTROPY 4U

struct vdev {
	unsigned long base;
	unsigned int version; /* 1 legacy, 2 modern */
	unsigned int queue_max;
	unsigned long dma;  /* rings and buffer: identity-mapped RAM */
	unsigned short num; /* queue size used */
	unsigned short last_used;
	unsigned short avail_idx;
};

unsigned int virtio_r32(unsigned long base, unsigned long off);
/* Resets and sets up the device with one queue; 0 or a negative error. */
int virtio_rng_init(struct vdev *d, unsigned long base, unsigned long dma);
const char *virtio_init_error(int err);
/* Posts one device-writable buffer and notifies the device (no exit). */
void virtio_rng_post(struct vdev *d);
/* InterruptStatus, acknowledged through InterruptACK. */
unsigned int virtio_ack(struct vdev *d);
/* Used-ring entries that arrived since the last call. */
unsigned int virtio_reap(struct vdev *d);
unsigned int virtio_used_idx(const struct vdev *d);

/* ---- intruder.c */
void intruder_main(unsigned long hartid, const struct dt_info *dt) __attribute__((noreturn));

/* ---- main.c helpers shared with intruder.c */
struct sbiret bh_counter(unsigned long counter);
struct sbiret bh_exits(void);
int time_after(unsigned long a, unsigned long b);
void halt(void) __attribute__((noreturn));

#endif
