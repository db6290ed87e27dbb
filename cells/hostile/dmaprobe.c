/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dmaprobe: a passed-through PCI device (virtio-rng-pci, modern virtio 1.x
 * transport: virtio 1.2, 4.1) as a weapon against other cells.
 *
 * Every boot: scan configuration space (only this cell's function may be
 * visible), try to move its BAR and to enable I/O decoding (both must be
 * refused), then let the device DMA random bytes into a buffer in this
 * cell's own RAM (must work). Then one attack per boot, the cursor
 * (struct persist) advanced first: the descriptor's buffer points at the
 * victim's pattern at its host address (boot 1), then at the hypervisor
 * (boot 2). The IOMMU must refuse the write; the hypervisor reports the
 * fault and restarts this cell, which goes on with the next attack. The
 * device's own virtio feature VIRTIO_F_ACCESS_PLATFORM is declined first:
 * a driver must not be able to opt its device out of the IOMMU.
 *
 * Output:  dma: scan visible <n>: <bb:dd.f> ...
 *          dma: hidden 00:02.0 vendor ffff           another cell's function
 *          dma: bar4 write kept <ok|MOVED> ...
 *          dma: command io refused <ok|SET> ...
 *          dma: own-ram ok len <n> nonzero <k>       the positive test
 *          dma: attack <n> target <addr>             before the notify
 *          dma: attack awaits its restart            no line end: the restart ends the line
 *          dma: attack <n> completion <len|-1>       what the device said (QEMU completes
 *                                                    a request whose write the IOMMU dropped)
 *          dma: attack <n> NOT RESTARTED within 3 s  the hypervisor did not act
 *          dma: done
 */
#include "csr.h"
#include "hostile.h"

#define ECAM_BASE     0x30000000UL
#define OWN_RID	      0x08U /* 00:01.0 (configs/hostile-dma.dts) */
#define VIRTIO_VENDOR 0x1af4U

#define CFG_COMMAND 0x04U
#define CFG_STATUS  0x06U
#define CFG_BAR0    0x10U
#define CFG_CAP_PTR 0x34U
#define STATUS_CAPS (1U << 4)
#define CMD_IO	    (1U << 0)
#define CMD_MEMORY  (1U << 1)
#define CMD_MASTER  (1U << 2)

#define CAP_VENDOR 0x09U
#define CFG_COMMON 1U
#define CFG_NOTIFY 2U

/* virtio_pci_common_cfg (virtio 1.2, 4.1.4.3) */
#define COMMON_DFSEL   0x00U
#define COMMON_DF      0x04U
#define COMMON_GFSEL   0x08U
#define COMMON_GF      0x0cU
#define COMMON_STATUS  0x14U
#define COMMON_QSEL    0x16U
#define COMMON_QSIZE   0x18U
#define COMMON_QENABLE 0x1cU
#define COMMON_QNOTIFY 0x1eU
#define COMMON_QDESC   0x20U
#define COMMON_QDRIVER 0x28U
#define COMMON_QDEVICE 0x30U

#define ST_ACK	     1U
#define ST_DRIVER    2U
#define ST_DRIVER_OK 4U
#define ST_FEAT_OK   8U

#define QSIZE	   8U
#define DESC_WRITE 2U
#define BUF_LEN	   64U

#define VICTIM_PATTERN 0x8c000000UL /* the victim's pattern, host address */
#define HYP_BASE       0x80200000UL /* the hypervisor's code */

struct desc {
	unsigned long addr;
	unsigned int len;
	unsigned short flags;
	unsigned short next;
};

static struct {
	struct desc d[QSIZE];
	unsigned short avail[2 + QSIZE + 1];
	unsigned int used[1 + 2 * QSIZE + 1];
	unsigned char buf[BUF_LEN];
} vq __attribute__((aligned(4096)));

static unsigned long common_base, notify_addr;

static volatile unsigned int *cfg32(unsigned int rid, unsigned int reg)
{
	return (volatile unsigned int *)(ECAM_BASE + ((unsigned long)rid << 12) + reg);
}

static volatile unsigned short *cfg16(unsigned int rid, unsigned int reg)
{
	return (volatile unsigned short *)(ECAM_BASE + ((unsigned long)rid << 12) + reg);
}

static volatile unsigned char *cfg8(unsigned int rid, unsigned int reg)
{
	return (volatile unsigned char *)(ECAM_BASE + ((unsigned long)rid << 12) + reg);
}

static unsigned long bar_address(unsigned int rid, unsigned int bar)
{
	unsigned int lo = *cfg32(rid, CFG_BAR0 + 4U * bar);
	unsigned long a = lo & ~0xfUL;

	if ((lo & 6U) == 4U)
		a |= (unsigned long)*cfg32(rid, CFG_BAR0 + 4U * (bar + 1U)) << 32;
	return a;
}

static void scan(void)
{
	char line[160];
	unsigned int n = 0, pos = 0;

	for (unsigned int dev = 0; dev < 32U; dev++) {
		for (unsigned int fn = 0; fn < 8U; fn++) {
			unsigned int rid = (dev << 3) | fn;
			if ((*cfg32(rid, 0) & 0xffffU) == 0xffffU)
				continue;
			n++;
			if (pos + 10U < sizeof(line)) {
				line[pos++] = ' ';
				line[pos++] = '0';
				line[pos++] = '0';
				line[pos++] = ':';
				line[pos++] = (char)('0' + dev / 10U);
				line[pos++] = (char)('0' + dev % 10U);
				line[pos++] = '.';
				line[pos++] = (char)('0' + fn);
			}
		}
	}
	line[pos] = '\0';
	say("dma: scan visible %u:%s", n, line);
	say("dma: hidden 00:02.0 vendor %x", *cfg32(0x10U, 0) & 0xffffU);
}

static void header_attacks(void)
{
	unsigned int before = *cfg32(OWN_RID, CFG_BAR0 + 16U);
	unsigned int cmd;

	*cfg32(OWN_RID, CFG_BAR0 + 16U) = 0x7f000000U; /* move BAR4 elsewhere */
	say("dma: bar4 write kept %s before %x after %x",
	    *cfg32(OWN_RID, CFG_BAR0 + 16U) == before ? "ok" : "MOVED", before,
	    *cfg32(OWN_RID, CFG_BAR0 + 16U));
	*cfg16(OWN_RID, CFG_COMMAND) = CMD_IO | CMD_MEMORY | CMD_MASTER;
	cmd = *cfg16(OWN_RID, CFG_COMMAND);
	say("dma: command io refused %s command %x", (cmd & CMD_IO) == 0U ? "ok" : "SET", cmd);
}

/* The common and notify structures from the vendor capabilities (virtio 1.2, 4.1.4). */
static int find_caps(void)
{
	unsigned int mult = 0, notify_off = 0;
	unsigned long notify_base = 0;

	if ((*cfg16(OWN_RID, CFG_STATUS) & STATUS_CAPS) == 0U)
		return -1;
	for (unsigned int c = *cfg8(OWN_RID, CFG_CAP_PTR) & 0xfcU; c != 0U;
	     c = *cfg8(OWN_RID, c + 1U) & 0xfcU) {
		if (*cfg8(OWN_RID, c) != CAP_VENDOR)
			continue;
		unsigned int type = *cfg8(OWN_RID, c + 3U);
		unsigned long at =
			bar_address(OWN_RID, *cfg8(OWN_RID, c + 4U)) + *cfg32(OWN_RID, c + 8U);
		if (type == CFG_COMMON && common_base == 0UL)
			common_base = at;
		if (type == CFG_NOTIFY && notify_base == 0UL) {
			notify_base = at;
			mult = *cfg32(OWN_RID, c + 16U);
		}
	}
	if (common_base == 0UL || notify_base == 0UL)
		return -1;
	*(volatile unsigned short *)(common_base + COMMON_QSEL) = 0;
	notify_off = *(volatile unsigned short *)(common_base + COMMON_QNOTIFY);
	notify_addr = notify_base + (unsigned long)notify_off * mult;
	return 0;
}

static void w8(unsigned int off, unsigned int v)
{
	*(volatile unsigned char *)(common_base + off) = (unsigned char)v;
}
static void w16(unsigned int off, unsigned int v)
{
	*(volatile unsigned short *)(common_base + off) = (unsigned short)v;
}
static void w32(unsigned int off, unsigned int v)
{
	*(volatile unsigned int *)(common_base + off) = v;
}
static void w64(unsigned int off, unsigned long v)
{
	w32(off, (unsigned int)v);
	w32(off + 4U, (unsigned int)(v >> 32));
}

/* Features word 1 (bits 32..63) the driver accepts: VERSION_1 (32), and ACCESS_PLATFORM (33) if asked. */
static int negotiate(unsigned int word1)
{
	w8(COMMON_STATUS, 0); /* reset */
	while (*(volatile unsigned char *)(common_base + COMMON_STATUS) != 0U)
		;
	w8(COMMON_STATUS, ST_ACK);
	w8(COMMON_STATUS, ST_ACK | ST_DRIVER);
	w32(COMMON_GFSEL, 1);
	w32(COMMON_GF, word1);
	w32(COMMON_GFSEL, 0);
	w32(COMMON_GF, 0);
	w8(COMMON_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK);
	return ((*(volatile unsigned char *)(common_base + COMMON_STATUS) & ST_FEAT_OK) != 0U) ? 0
											       : -1;
}

/*
 * A hostile driver first declines VIRTIO_F_ACCESS_PLATFORM (virtio 1.2, 6:
 * without it a device may bypass the platform's IOMMU); the device may refuse
 * FEATURES_OK then (it needs it), and the driver accepts it after all. Either
 * way the hypervisor must not depend on what the driver chose.
 */
static int virtio_init(void)
{
	static int said;
	int declined = negotiate(1U) == 0;

	if (!declined && negotiate(3U) != 0)
		return -1;
	if (!said) {
		say("dma: access-platform declined %s",
		    declined ? "accepted by the device" : "refused by the device");
		said = 1;
	}
	for (unsigned int i = 0; i < sizeof(vq); i++)
		((volatile unsigned char *)&vq)[i] = 0;
	w16(COMMON_QSEL, 0);
	w16(COMMON_QSIZE, QSIZE);
	w64(COMMON_QDESC, (unsigned long)vq.d);
	w64(COMMON_QDRIVER, (unsigned long)vq.avail);
	w64(COMMON_QDEVICE, (unsigned long)vq.used);
	w16(COMMON_QENABLE, 1);
	w8(COMMON_STATUS, ST_ACK | ST_DRIVER | ST_FEAT_OK | ST_DRIVER_OK);
	return 0;
}

/* One device-writable buffer at addr; returns the used length, or -1 without a completion in 1 s. */
static long submit(unsigned long addr, unsigned int len)
{
	unsigned short idx = vq.avail[1];
	unsigned short used_before = ((volatile unsigned short *)vq.used)[1];
	unsigned long deadline;

	vq.d[0].addr = addr;
	vq.d[0].len = len;
	vq.d[0].flags = DESC_WRITE;
	vq.d[0].next = 0;
	vq.avail[2 + idx % QSIZE] = 0;
	__asm__ volatile("fence rw, rw" ::: "memory");
	vq.avail[1] = (unsigned short)(idx + 1U);
	__asm__ volatile("fence rw, rw" ::: "memory");
	*(volatile unsigned short *)notify_addr = 0;
	deadline = rdtime() + TIMEBASE_HZ;
	while (((volatile unsigned short *)vq.used)[1] == used_before) {
		if (rdtime() > deadline)
			return -1;
	}
	__asm__ volatile("fence rw, rw" ::: "memory");
	return (long)((volatile unsigned int *)vq.used)[2];
}

void dmaprobe_run(struct persist *p)
{
	static const unsigned long targets[] = {VICTIM_PATTERN, HYP_BASE};
	unsigned int nonzero = 0;
	long len;

	scan();
	header_attacks();
	if ((*cfg32(OWN_RID, 0) & 0xffffU) != VIRTIO_VENDOR || find_caps() != 0 ||
	    virtio_init() != 0) {
		say("dma: no usable virtio-rng-pci at 00:01.0");
		return;
	}
	len = submit((unsigned long)vq.buf, BUF_LEN);
	for (unsigned int i = 0; i < BUF_LEN; i++)
		nonzero += (vq.buf[i] != 0U) ? 1U : 0U;
	if (len > 0 && nonzero > 0U)
		say("dma: own-ram ok len %u nonzero %u", (unsigned int)len, nonzero);
	else
		say("dma: own-ram FAILED len %d nonzero %u", (int)len, nonzero);
	while (p->cursor < sizeof(targets) / sizeof(targets[0])) {
		unsigned long n = p->cursor;
		persist_cursor(p, n + 1U);
		say("dma: attack %u target %x", (unsigned int)n, targets[n]);
		/* Left open on purpose: the restart comes while the device works, and must end it. */
		say_unended("dma: attack awaits its restart ");
		len = submit(targets[n], BUF_LEN);
		/* A completion says nothing: QEMU's device completes a request whose write the IOMMU
		 * dropped. What counts is the hypervisor's report, its restart, and the victim's checksum. */
		say("dma: attack %u completion %d", (unsigned int)n, (int)len);
		alive("dma", 3);
		say("dma: attack %u NOT RESTARTED within 3 s", (unsigned int)n);
		if (virtio_init() != 0)
			return;
	}
	say("dma: done");
}
