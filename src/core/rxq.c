/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/rxq.h"

_Static_assert((RXQ_SIZE & (RXQ_SIZE - 1U)) == 0U, "RXQ_SIZE must be a power of two: head and tail wrap");

uint32_t rxq_put(struct bh_rxq *q, uint8_t byte)
{
    uint32_t stored = 0U;

    bh_lock_acquire(&q->lock);
    if ((q->head - q->tail) < RXQ_SIZE) {
        q->bytes[q->head % RXQ_SIZE] = byte;
        q->head++;
        stored = 1U;
    }
    bh_lock_release(&q->lock);
    return stored;
}

int rxq_get(struct bh_rxq *q)
{
    int c = -1;

    bh_lock_acquire(&q->lock);
    if (q->head != q->tail) {
        c = (int)q->bytes[q->tail % RXQ_SIZE];
        q->tail++;
    }
    bh_lock_release(&q->lock);
    return c;
}

uint32_t rxq_has_data(struct bh_rxq *q)
{
    uint32_t has = 0U;

    bh_lock_acquire(&q->lock);
    if (q->head != q->tail) {
        has = 1U;
    }
    bh_lock_release(&q->lock);
    return has;
}

void rxq_clear(struct bh_rxq *q)
{
    bh_lock_acquire(&q->lock);
    q->tail = q->head;
    bh_lock_release(&q->lock);
}
