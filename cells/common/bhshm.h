/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bhshm: an endpoint of a Bulkhead shared-memory channel (docs/shmem.md),
 * plain C with no library and no platform dependency, so the same file
 * serves the bare-metal guests and the Linux user program
 * (cells/linux/shmem-demo.c). The caller maps the channel region and its
 * doorbell slot (bare metal: the guest-physical addresses of its device
 * tree node; Linux: the two maps of /dev/uioN) and waits for the doorbell
 * interrupt in its own way; bhshm does the ring-buffer protocol, the rings
 * and the generation word.
 *
 * Layout: the region is split into one lane per member; member i writes
 * only lane i (and only if its access is "rw"), everyone reads every lane.
 * A lane holds a header, the consumer positions of its owner (acks) and a
 * ring of fixed-size message slots (docs/shmem.md, "Layout").
 */
#ifndef CELLS_BHSHM_H
#define CELLS_BHSHM_H

#include <stdint.h>

#define BHSHM_MAX_MEMBERS 8U
#define BHSHM_MAGIC	  0x4c4d4842U /* "BHML" in memory (little-endian) */
#define BHSHM_SLOT_SIZE	  64U	      /* bytes per slot: 16 header + 48 payload */
#define BHSHM_SLOT_HEADER 16U	      /* length, sequence number, 64-bit time stamp */
#define BHSHM_MAX_PAYLOAD (BHSHM_SLOT_SIZE - BHSHM_SLOT_HEADER)

/* Results (negative) */
#define BHSHM_EMPTY	(-1) /* nothing new in that lane */
#define BHSHM_FULL	(-2) /* a writable peer has not consumed enough yet */
#define BHSHM_READ_ONLY (-3) /* this member's access is "r" */
#define BHSHM_TOO_LONG	(-4) /* message longer than BHSHM_MAX_PAYLOAD */
#define BHSHM_NOT_READY (-5) /* that lane's owner has not initialised it (yet, or again) */
#define BHSHM_BAD	(-6) /* bad arguments or layout */

struct bhshm {
	volatile uint8_t *base; /* the channel region */
	uint64_t size;
	volatile uint32_t *doorbell; /* this cell's 16-byte doorbell slot for the channel */
	uint32_t member;	     /* own member index (doorbell RING register) */
	uint32_t members;	     /* doorbell MEMBERS register */
	uint32_t writable;	     /* access "rw" */
	uint32_t lane_size;
	uint32_t generation;		  /* last generation word seen */
	uint32_t pos[BHSHM_MAX_MEMBERS];  /* next message to read, per lane */
	uint32_t seen[BHSHM_MAX_MEMBERS]; /* lane epoch pos[] belongs to; 0 = lane not seen valid */
	/* messages overwritten before a read-only member read them */
	uint32_t lost[BHSHM_MAX_MEMBERS];
	/* The platform's `time` (RISC-V rdtime), stamped into each published
	 * message; 0 (no clock) stamps 0. Set by the caller after bhshm_open. */
	uint64_t (*now)(void);
	uint64_t stamp; /* the stamp of the message bhshm_consume returned last */
};

/* Opens the endpoint: reads member index, member count and generation from
 * the doorbell slot, and (re)initialises the own lane if writable, starting
 * to read every peer lane at its current end. 0 or BHSHM_BAD. */
int bhshm_open(struct bhshm *e, volatile void *region, uint64_t size, volatile void *doorbell_slot,
	       uint32_t writable);

/* Publishes one message to every peer and rings them: 0, BHSHM_FULL,
 * BHSHM_TOO_LONG or BHSHM_READ_ONLY. */
int bhshm_publish(struct bhshm *e, const void *msg, uint32_t len);

/* The next message of member `from`'s lane into buf (cap bytes; longer
 * messages are cut): its full length, or BHSHM_EMPTY / BHSHM_NOT_READY /
 * BHSHM_BAD. A lane whose owner re-initialised it (a restart) is read from
 * its start again. */
int bhshm_consume(struct bhshm *e, uint32_t from, void *buf, uint32_t cap);

/* Rings member `peer` (a write of its index to the doorbell RING register). */
void bhshm_ring(struct bhshm *e, uint32_t peer);

/* 1 when every writable peer with its lane up has consumed every message of
 * the own lane (or the own lane is read-only), else 0. */
int bhshm_delivered(struct bhshm *e);

/* Leaves the channel: the own lane becomes invalid (magic 0), so peers stop
 * waiting for this member's acks and read nothing more from it until it
 * opens again. A bare-metal guest never needs it; a program that exits does. */
void bhshm_close(struct bhshm *e);

/* 1 if the channel's generation word changed since the last call (a member
 * stopped or restarted), else 0. */
int bhshm_generation_changed(struct bhshm *e);

#endif
