/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bhshm: the channel protocol of docs/shmem.md ("Layout" and "Protocol").
 * Ordering: a producer writes a slot, then (release fence) the lane's head;
 * a consumer reads the head, then (acquire fence) the slot, and only after
 * copying it (release fence) moves its ack. Each 32-bit field has one
 * writer, so aligned 32-bit loads and stores need no atomics.
 */
#include "bhshm.h"

/* Doorbell slot registers, in 32-bit words (bulkhead/abi.h, BH_DOORBELL_*). */
#define DB_RING	      0U
#define DB_GENERATION 1U
#define DB_MEMBERS    2U

/* Lane header, in 32-bit words */
#define L_MAGIC	    0U
#define L_EPOCH	    1U
#define L_SLOT_SIZE 2U
#define L_NSLOTS    3U
#define L_HEAD	    4U
#define L_ACKS	    8U /* ack[j] at word 8 + j */

static volatile uint32_t *lane(const struct bhshm *e, uint32_t i)
{
	return (volatile uint32_t *)(e->base + (uint64_t)i * e->lane_size);
}

static uint32_t slots_offset(const struct bhshm *e)
{
	return ((L_ACKS + e->members) * 4U + 63U) & ~63U;
}

static uint32_t nslots(const struct bhshm *e)
{
	return (e->lane_size - slots_offset(e)) / BHSHM_SLOT_SIZE;
}

static volatile uint8_t *slot(const struct bhshm *e, uint32_t i, uint32_t seq)
{
	return e->base + (uint64_t)i * e->lane_size + slots_offset(e) +
	       (seq % nslots(e)) * BHSHM_SLOT_SIZE;
}

static int lane_valid(const struct bhshm *e, uint32_t i)
{
	volatile uint32_t *l = lane(e, i);
	int ok = (l[L_MAGIC] == BHSHM_MAGIC) && (l[L_SLOT_SIZE] == BHSHM_SLOT_SIZE) &&
		 (l[L_NSLOTS] == nslots(e));

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return ok;
}

static void init_own_lane(struct bhshm *e)
{
	volatile uint32_t *l = lane(e, e->member);

	l[L_MAGIC] = 0U; /* readers stop trusting the lane first */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	l[L_SLOT_SIZE] = BHSHM_SLOT_SIZE;
	l[L_NSLOTS] = nslots(e);
	l[L_HEAD] = 0U;
	for (uint32_t j = 0; j < e->members; j++)
		l[L_ACKS + j] = e->pos[j];
	l[L_EPOCH] = l[L_EPOCH] + 1U; /* survives in the channel across this cell's restarts */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	l[L_MAGIC] = BHSHM_MAGIC;
}

int bhshm_open(struct bhshm *e, volatile void *region, uint64_t size, volatile void *doorbell_slot,
	       uint32_t writable)
{
	e->base = (volatile uint8_t *)region;
	e->size = size;
	e->doorbell = (volatile uint32_t *)doorbell_slot;
	e->member = e->doorbell[DB_RING];
	e->members = e->doorbell[DB_MEMBERS];
	e->generation = e->doorbell[DB_GENERATION];
	e->writable = writable;
	e->now = 0;
	e->stamp = 0U;
	if ((e->members < 2U) || (e->members > BHSHM_MAX_MEMBERS) || (e->member >= e->members))
		return BHSHM_BAD;
	e->lane_size = (uint32_t)((size / e->members) & ~(uint64_t)63U);
	if ((e->lane_size < slots_offset(e) + 2U * BHSHM_SLOT_SIZE) ||
	    (size / e->members > 0x40000000U))
		return BHSHM_BAD;
	/* Start every peer lane at its current end: what was sent before we opened is history. */
	for (uint32_t j = 0; j < e->members; j++) {
		e->lost[j] = 0U;
		e->seen[j] = 0U;
		e->pos[j] = 0U;
		if ((j != e->member) && lane_valid(e, j)) {
			e->seen[j] = lane(e, j)[L_EPOCH];
			e->pos[j] = lane(e, j)[L_HEAD];
		}
	}
	if (writable != 0U)
		init_own_lane(e);
	return 0;
}

void bhshm_ring(struct bhshm *e, uint32_t peer)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the message before the ring */
	e->doorbell[DB_RING] = peer;
}

int bhshm_publish(struct bhshm *e, const void *msg, uint32_t len)
{
	volatile uint32_t *own = lane(e, e->member);
	uint32_t head;

	if (e->writable == 0U)
		return BHSHM_READ_ONLY;
	if (len > BHSHM_MAX_PAYLOAD)
		return BHSHM_TOO_LONG;
	head = own[L_HEAD];
	/* Flow control against every writable peer that has its lane up (a
	 * read-only peer cannot ack: it may lose messages, and counts them).
	 * A consistent ack is 0..nslots behind head; one further behind (or
	 * ahead) belongs to this lane's previous epoch, before this cell
	 * restarted: that peer resets it when it sees the new epoch, and is
	 * not waited for until then. */
	for (uint32_t j = 0; j < e->members; j++) {
		if ((j != e->member) && lane_valid(e, j) &&
		    (head - lane(e, j)[L_ACKS + e->member] == nslots(e)))
			return BHSHM_FULL;
	}
	volatile uint8_t *s = slot(e, e->member, head);
	((volatile uint32_t *)s)[0] = len;
	((volatile uint32_t *)s)[1] = head;
	((volatile uint64_t *)s)[1] = (e->now != 0) ? e->now() : 0U;
	for (uint32_t k = 0; k < len; k++)
		s[BHSHM_SLOT_HEADER + k] = ((const uint8_t *)msg)[k];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	own[L_HEAD] = head + 1U;
	for (uint32_t j = 0; j < e->members; j++) {
		if (j != e->member)
			bhshm_ring(e, j);
	}
	return 0;
}

int bhshm_consume(struct bhshm *e, uint32_t from, void *buf, uint32_t cap)
{
	volatile uint32_t *l;
	uint32_t head;

	if ((from >= e->members) || (from == e->member))
		return BHSHM_BAD;
	if (!lane_valid(e, from))
		return BHSHM_NOT_READY;
	l = lane(e, from);
	if (l[L_EPOCH] != e->seen[from]) {
		/* The lane appeared or its owner restarted: its messages start again at 0. */
		e->seen[from] = l[L_EPOCH];
		e->pos[from] = 0U;
		if (e->writable != 0U)
			lane(e, e->member)[L_ACKS + from] = 0U; /* its flow control restarts too */
	}
	head = l[L_HEAD];
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (head == e->pos[from])
		return BHSHM_EMPTY;
	if (head - e->pos[from] > nslots(e)) {
		/* Only a read-only member falls this far behind: skip what was overwritten. */
		e->lost[from] += head - e->pos[from] - nslots(e);
		e->pos[from] = head - nslots(e);
	}
	volatile uint8_t *s = slot(e, from, e->pos[from]);
	uint32_t len = ((volatile uint32_t *)s)[0];
	if (len > BHSHM_MAX_PAYLOAD)
		len = BHSHM_MAX_PAYLOAD;
	for (uint32_t k = 0; (k < len) && (k < cap); k++)
		((uint8_t *)buf)[k] = s[BHSHM_SLOT_HEADER + k];
	e->stamp = ((volatile uint64_t *)s)[1];
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* copied before the slot is handed back */
	e->pos[from]++;
	if (e->writable != 0U)
		lane(e, e->member)[L_ACKS + from] = e->pos[from];
	return (int)len;
}

int bhshm_delivered(struct bhshm *e)
{
	uint32_t head;

	if (e->writable == 0U)
		return 1;
	head = lane(e, e->member)[L_HEAD];
	for (uint32_t j = 0; j < e->members; j++) {
		if ((j != e->member) && lane_valid(e, j) &&
		    (lane(e, j)[L_ACKS + e->member] != head))
			return 0;
	}
	return 1;
}

void bhshm_close(struct bhshm *e)
{
	if (e->writable != 0U) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		lane(e, e->member)[L_MAGIC] = 0U;
	}
}

int bhshm_generation_changed(struct bhshm *e)
{
	uint32_t g = e->doorbell[DB_GENERATION];

	if (g == e->generation)
		return 0;
	e->generation = g;
	return 1;
}
