/* SPDX-License-Identifier: Apache-2.0 */
/* Spin locks: acquire/release ordering by GCC __atomic builtins (no C library). */
#include "bulkhead/lib.h"

void bh_lock_acquire(struct bh_lock *l)
{
    while (__atomic_exchange_n(&l->held, 1U, __ATOMIC_ACQUIRE) != 0U) {
        while (l->held != 0U) {
        }
    }
}

void bh_lock_release(struct bh_lock *l)
{
    __atomic_store_n(&l->held, 0U, __ATOMIC_RELEASE);
}
