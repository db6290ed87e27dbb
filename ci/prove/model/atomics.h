/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Proof build only (`make prove`, forced in with -include): the GCC __atomic
 * builtins src/ uses, which Frama-C does not know, as the plain accesses they
 * are when one hart runs at a time. The harness interleaves harts whole
 * handler by whole handler (harness.c), so each builtin is atomic there by
 * construction; memory ordering is not modelled (docs/safety/proof.md).
 * Assumes: GCC implements each builtin as documented (GCC manual, "__atomic
 * Builtins"): the value read, the value written, and for compare-exchange
 * the write of the value seen into *expected on failure.
 */
#ifndef BH_PROVE_ATOMICS_H
#define BH_PROVE_ATOMICS_H

#define __atomic_load_n(p, order)     (*(p))
#define __atomic_store_n(p, v, order) ((void)(*(p) = (v)))

static inline unsigned int bh_model_atomic_exchange(volatile unsigned int *p, unsigned int v)
{
    unsigned int old = *p;
    *p = v;
    return old;
}
static inline unsigned int bh_model_atomic_fetch_or(volatile unsigned int *p, unsigned int v)
{
    unsigned int old = *p;
    *p = old | v;
    return old;
}
static inline unsigned int bh_model_atomic_fetch_add(volatile unsigned int *p, unsigned int v)
{
    unsigned int old = *p;
    *p = old + v;
    return old;
}
static inline unsigned int bh_model_atomic_fetch_sub(volatile unsigned int *p, unsigned int v)
{
    unsigned int old = *p;
    *p = old - v;
    return old;
}
static inline int bh_model_atomic_cas(volatile unsigned int *p, unsigned int *expected, unsigned int desired)
{
    unsigned int old = *p;
    if (old == *expected) {
        *p = desired;
        return 1;
    }
    *expected = old;
    return 0;
}

#define __atomic_exchange_n(p, v, order) bh_model_atomic_exchange((p), (v))
#define __atomic_fetch_or(p, v, order)   bh_model_atomic_fetch_or((p), (v))
#define __atomic_fetch_add(p, v, order)  bh_model_atomic_fetch_add((p), (v))
#define __atomic_fetch_sub(p, v, order)  bh_model_atomic_fetch_sub((p), (v))
#define __atomic_compare_exchange_n(p, expected, desired, weak, success, failure) \
    bh_model_atomic_cas((p), (expected), (desired))

#endif
