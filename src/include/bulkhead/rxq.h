/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A byte queue from the console's receive path to one cell: what was typed
 * to the cell and not yet read by its vUART, SBI getchar or DBCN read.
 * Full means overrun: a byte put then is dropped, as a real UART would.
 */
#ifndef BULKHEAD_RXQ_H
#define BULKHEAD_RXQ_H

#include <stdint.h>
#include "bulkhead/lib.h"

#define RXQ_SIZE 64U /* power of two */

struct bh_rxq {
    struct bh_lock lock; /* guards head, tail and bytes; taken after the cell lock */
    uint8_t bytes[RXQ_SIZE];
    uint32_t head; /* bytes put, modulo 2^32 */
    uint32_t tail; /* bytes taken, modulo 2^32 */
};

/* Appends a byte: 1, or 0 if the queue was full and the byte is dropped. */
uint32_t rxq_put(struct bh_rxq *q, uint8_t byte);
/* Takes the oldest byte, or returns -1 if the queue is empty. */
int rxq_get(struct bh_rxq *q);
/* 1 if a byte is waiting. */
uint32_t rxq_has_data(struct bh_rxq *q);
/* Drops every waiting byte. */
void rxq_clear(struct bh_rxq *q);

#endif
