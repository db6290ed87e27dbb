/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A virtio-mmio entropy device (virtio-rng) with its one request queue,
 * as much as it takes to make it raise interrupts.  Virtio 1.2 spec:
 * ch. 4.2.2 "MMIO Device Register Layout" (version 2, "modern"), 4.2.4
 * "Legacy interface" (version 1, what QEMU's virtio-mmio offers unless
 * force-legacy=false), 2.7 "Split Virtqueues", 5.4 "Entropy Device".
 *
 * Layout in the DMA area (guest-physical = host-physical, the device
 * reads the rings at the addresses the guest writes):
 *   +0x0000 descriptor table, then the available ring
 *   +0x1000 used ring (QueueAlign 4096 for the legacy layout)
 *   +0x2000 the buffer the device fills
 */
#include "irqtest.h"

/* Registers (offsets; legacy names in comments where they differ). */
#define VIRTIO_MAGIC_VALUE	0x000
#define VIRTIO_VERSION		0x004
#define VIRTIO_DEVICE_ID	0x008
#define VIRTIO_DEV_FEATURES	0x010 /* HostFeatures */
#define VIRTIO_DEV_FEATURES_SEL 0x014 /* HostFeaturesSel */
#define VIRTIO_DRV_FEATURES	0x020 /* GuestFeatures */
#define VIRTIO_DRV_FEATURES_SEL 0x024 /* GuestFeaturesSel */
#define VIRTIO_GUEST_PAGE_SIZE	0x028 /* legacy only */
#define VIRTIO_QUEUE_SEL	0x030
#define VIRTIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_QUEUE_NUM	0x038
#define VIRTIO_QUEUE_ALIGN	0x03c /* legacy only */
#define VIRTIO_QUEUE_PFN	0x040 /* legacy only */
#define VIRTIO_QUEUE_READY	0x044 /* modern only */
#define VIRTIO_QUEUE_NOTIFY	0x050
#define VIRTIO_INT_STATUS	0x060
#define VIRTIO_INT_ACK		0x064
#define VIRTIO_STATUS		0x070
#define VIRTIO_QUEUE_DESC_LO	0x080
#define VIRTIO_QUEUE_DESC_HI	0x084
#define VIRTIO_QUEUE_AVAIL_LO	0x090 /* QueueDriver */
#define VIRTIO_QUEUE_AVAIL_HI	0x094
#define VIRTIO_QUEUE_USED_LO	0x0a0 /* QueueDevice */
#define VIRTIO_QUEUE_USED_HI	0x0a4

/* Device status bits (ch. 2.1). */
#define STATUS_ACKNOWLEDGE 1U
#define STATUS_DRIVER	   2U
#define STATUS_DRIVER_OK   4U
#define STATUS_FEATURES_OK 8U

#define VIRTQ_DESC_F_WRITE    2U
#define VIRTIO_F_VERSION_1_HI 1U /* feature bit 32 = bit 0 of word 1 */

#define QUEUE_SIZE 8U
#define PAGE	   4096UL
#define USED_OFF   0x1000UL
#define BUF_OFF	   0x2000UL
#define BUF_LEN	   16U

struct virtq_desc {
	unsigned long addr;
	unsigned int len;
	unsigned short flags;
	unsigned short next;
};

struct virtq_avail {
	unsigned short flags;
	unsigned short idx;
	unsigned short ring[QUEUE_SIZE];
	unsigned short used_event;
};

struct virtq_used_elem {
	unsigned int id;
	unsigned int len;
};

struct virtq_used {
	unsigned short flags;
	unsigned short idx;
	struct virtq_used_elem ring[QUEUE_SIZE];
	unsigned short avail_event;
};

enum {
	ERR_MAGIC = -1,
	ERR_VERSION = -2,
	ERR_DEVICE = -3,
	ERR_QUEUE = -4,
	ERR_FEATURES = -5,
};

static volatile struct virtq_desc *desc(const struct vdev *d)
{
	return (volatile struct virtq_desc *)d->dma;
}

static volatile struct virtq_avail *avail(const struct vdev *d)
{
	return (volatile struct virtq_avail *)(d->dma + QUEUE_SIZE * sizeof(struct virtq_desc));
}

static volatile struct virtq_used *used(const struct vdev *d)
{
	return (volatile struct virtq_used *)(d->dma + USED_OFF);
}

unsigned int virtio_r32(unsigned long base, unsigned long off)
{
	return mmio_r32(base + off);
}

static void w32(const struct vdev *d, unsigned long off, unsigned int v)
{
	mmio_w32(d->base + off, v);
}

const char *virtio_init_error(int err)
{
	switch (err) {
	case ERR_MAGIC: return "bad magic value";
	case ERR_VERSION: return "unknown version";
	case ERR_DEVICE: return "not an entropy device";
	case ERR_QUEUE: return "queue 0 unavailable";
	case ERR_FEATURES: return "device refused the features";
	default: return "?";
	}
}

int virtio_rng_init(struct vdev *d, unsigned long base, unsigned long dma)
{
	volatile unsigned char *p = (volatile unsigned char *)dma;
	unsigned int st;
	unsigned long i;

	d->base = base;
	d->dma = dma;
	d->last_used = 0;
	d->avail_idx = 0;
	if (virtio_r32(base, VIRTIO_MAGIC_VALUE) != VIRTIO_MAGIC)
		return ERR_MAGIC;
	d->version = virtio_r32(base, VIRTIO_VERSION);
	if (d->version != 1U && d->version != 2U)
		return ERR_VERSION;
	if (virtio_r32(base, VIRTIO_DEVICE_ID) != VIRTIO_ID_ENTROPY)
		return ERR_DEVICE;

	for (i = 0; i < BUF_OFF + PAGE; i++)
		p[i] = 0;

	/* ch. 3.1.1 driver initialization: reset, ACKNOWLEDGE, DRIVER. */
	w32(d, VIRTIO_STATUS, 0);
	w32(d, VIRTIO_STATUS, STATUS_ACKNOWLEDGE);
	w32(d, VIRTIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	st = STATUS_ACKNOWLEDGE | STATUS_DRIVER;

	/* No optional feature (so no event index: every used buffer
	 * interrupts); a modern device needs VIRTIO_F_VERSION_1. */
	w32(d, VIRTIO_DRV_FEATURES_SEL, 1);
	w32(d, VIRTIO_DRV_FEATURES, d->version == 2U ? VIRTIO_F_VERSION_1_HI : 0U);
	w32(d, VIRTIO_DRV_FEATURES_SEL, 0);
	w32(d, VIRTIO_DRV_FEATURES, 0);
	if (d->version == 2U) {
		st |= STATUS_FEATURES_OK;
		w32(d, VIRTIO_STATUS, st);
		if ((virtio_r32(base, VIRTIO_STATUS) & STATUS_FEATURES_OK) == 0U)
			return ERR_FEATURES;
	} else {
		w32(d, VIRTIO_GUEST_PAGE_SIZE, (unsigned int)PAGE);
	}

	w32(d, VIRTIO_QUEUE_SEL, 0);
	d->queue_max = virtio_r32(base, VIRTIO_QUEUE_NUM_MAX);
	if (d->queue_max < QUEUE_SIZE)
		return ERR_QUEUE;
	d->num = QUEUE_SIZE;
	w32(d, VIRTIO_QUEUE_NUM, QUEUE_SIZE);
	if (d->version == 1U) {
		w32(d, VIRTIO_QUEUE_ALIGN, (unsigned int)PAGE);
		w32(d, VIRTIO_QUEUE_PFN, (unsigned int)(dma / PAGE));
	} else {
		w32(d, VIRTIO_QUEUE_DESC_LO, (unsigned int)(unsigned long)desc(d));
		w32(d, VIRTIO_QUEUE_DESC_HI, (unsigned int)((unsigned long)desc(d) >> 32));
		w32(d, VIRTIO_QUEUE_AVAIL_LO, (unsigned int)(unsigned long)avail(d));
		w32(d, VIRTIO_QUEUE_AVAIL_HI, (unsigned int)((unsigned long)avail(d) >> 32));
		w32(d, VIRTIO_QUEUE_USED_LO, (unsigned int)(unsigned long)used(d));
		w32(d, VIRTIO_QUEUE_USED_HI, (unsigned int)((unsigned long)used(d) >> 32));
		w32(d, VIRTIO_QUEUE_READY, 1);
	}

	/* One device-writable buffer, reused by every request. */
	desc(d)[0].addr = dma + BUF_OFF;
	desc(d)[0].len = BUF_LEN;
	desc(d)[0].flags = VIRTQ_DESC_F_WRITE;
	desc(d)[0].next = 0;

	w32(d, VIRTIO_STATUS, st | STATUS_DRIVER_OK);
	return 0;
}

void virtio_rng_post(struct vdev *d)
{
	volatile struct virtq_avail *a = avail(d);

	a->ring[d->avail_idx % d->num] = 0;
	/* The ring entry before the index, the index before the notify
	 * (ch. 2.7.13 "Supplying Buffers to The Device"). */
	__asm__ volatile("fence w, w" ::: "memory");
	d->avail_idx++;
	a->idx = d->avail_idx;
	__asm__ volatile("fence w, o" ::: "memory");
	w32(d, VIRTIO_QUEUE_NOTIFY, 0);
}

unsigned int virtio_ack(struct vdev *d)
{
	unsigned int s = virtio_r32(d->base, VIRTIO_INT_STATUS);

	w32(d, VIRTIO_INT_ACK, s);
	return s;
}

unsigned int virtio_used_idx(const struct vdev *d)
{
	return used(d)->idx;
}

unsigned int virtio_reap(struct vdev *d)
{
	unsigned short idx;
	unsigned int n;

	__asm__ volatile("fence i, r" ::: "memory");
	idx = used(d)->idx;
	n = (unsigned short)(idx - d->last_used);
	d->last_used = idx;
	return n;
}
