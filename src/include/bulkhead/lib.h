/* Freestanding helpers: the hypervisor links no C library. */
#ifndef BULKHEAD_LIB_H
#define BULKHEAD_LIB_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

struct bh_lock {
    volatile uint32_t held;
};

void bh_lock_acquire(struct bh_lock *l);
void bh_lock_release(struct bh_lock *l);


static inline void bh_atomic_or(volatile uint32_t *p, uint32_t bits)
{
    __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
}

static inline uint32_t bh_atomic_take(volatile uint32_t *p)
{
    return __atomic_exchange_n(p, 0U, __ATOMIC_SEQ_CST);
}

#endif
