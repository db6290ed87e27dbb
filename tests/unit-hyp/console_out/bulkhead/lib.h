/* SPDX-License-Identifier: Apache-2.0 */
/* src/'s bulkhead/lib.h for the console output unit test, with one seam:
 * bh_lock_acquire tells test_console_out.c when a hart starts and stops
 * spinning for a lock, so the test measures a byte's wait for the UART lock
 * itself, not the host's descheduling of the victim's thread around it. The
 * lock is src/'s, unchanged. */
#ifndef BH_TEST_CONSOLE_OUT_LIB_H
#define BH_TEST_CONSOLE_OUT_LIB_H

#define bh_lock_acquire bh_lock_acquire_unseen
#include_next "bulkhead/lib.h"
#undef bh_lock_acquire

void test_lock_spin_begins(const struct bh_lock *l);
void test_lock_spin_ends(const struct bh_lock *l);

static inline void bh_lock_acquire(struct bh_lock *l)
{
    test_lock_spin_begins(l);
    bh_lock_acquire_unseen(l);
    test_lock_spin_ends(l);
}

#endif
