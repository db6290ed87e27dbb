/* SPDX-License-Identifier: Apache-2.0 */
/* Freestanding helpers: the hypervisor links no C library. */
#ifndef BULKHEAD_LIB_H
#define BULKHEAD_LIB_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/*
 * Spin locks. Every lock of the hypervisor and the order in which a hart may
 * hold two of them (take only rightwards; docs/architecture.md, "Concurrency"):
 *
 *   cell lock (bh_cell_state[].lock)
 *     -> console: a cell's input queue lock (rxq.h), or a cell's output lock
 *        (console_out.c) -> the UART lock (console_out.c)
 *     -> PLIC enable lock (plic.c)
 *   console receive lock (console_in.c)
 *     -> a cell's input queue lock, the UART lock, the PLIC enable lock
 *
 * The cell lock and the receive lock are never held together: the receive
 * path queues typed bytes and returns, and irq.c raises the cells' vUART
 * interrupts after the receive lock is released. No lock is held while a
 * hart parks, waits for another hart or enters a guest. Per-hart state other
 * harts touch takes no lock at all (struct bh_hart_shared, hart.h).
 */
struct bh_lock {
    volatile uint32_t held;
};

/* Inline: every emulated device access takes the cell lock, and a call and
 * return for each side were a tenth of the fastest one. Acquire/release
 * ordering by GCC's __atomic builtins (no C library). Setting the bit with
 * an atomic or is the exchange of 1 a test-and-set lock makes (held is only
 * ever 0 or 1), one instruction shorter: GCC 12 copies the 1 into the
 * destination register before each amoswap, not before an amoor. */
static inline void bh_lock_acquire(struct bh_lock *l)
{
    while (__atomic_fetch_or(&l->held, 1U, __ATOMIC_ACQUIRE) != 0U) {
        while (l->held != 0U) {
        }
    }
}

/* 1 when the lock was free and is now this hart's, 0 when another holds it. */
static inline uint32_t bh_lock_try_acquire(struct bh_lock *l)
{
    return (__atomic_fetch_or(&l->held, 1U, __ATOMIC_ACQUIRE) == 0U) ? 1U : 0U;
}

static inline void bh_lock_release(struct bh_lock *l)
{
    __atomic_store_n(&l->held, 0U, __ATOMIC_RELEASE);
}

static inline void bh_atomic_or(volatile uint32_t *p, uint32_t bits)
{
    __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
}

static inline uint32_t bh_atomic_take(volatile uint32_t *p)
{
    return __atomic_exchange_n(p, 0U, __ATOMIC_SEQ_CST);
}

#endif
