/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/vplic.h"
#include "bulkhead/lib.h"

/* Source s is the cell's own in v (its bit in owned[]). */
/*@ predicate owned_source(struct vplic *v, integer s) = ((v->owned[s / 32] >> (s % 32)) & 1) != 0;
*/

/*@ requires \valid_read(words + n / 32U);
    assigns \nothing;
    ensures \result == ((words[n / 32U] >> (n % 32U)) & 1U);
*/
static uint32_t bit_test(const uint32_t *words, uint32_t n)
{
    return (words[n / 32U] >> (n % 32U)) & 1U;
}

static void bit_set(uint32_t *words, uint32_t n)
{
    words[n / 32U] |= 1U << (n % 32U);
}

static void bit_clear(uint32_t *words, uint32_t n)
{
    words[n / 32U] &= ~(1U << (n % 32U));
}

void vplic_init(struct vplic *v, uint32_t num_harts, const uint32_t *sources, uint32_t num_sources)
{
    (void)memset(v, 0, sizeof(*v));
    v->num_harts = (num_harts < VPLIC_MAX_HARTS) ? num_harts : VPLIC_MAX_HARTS;
    for (uint32_t i = 0; i < num_sources; i++) {
        if ((sources[i] != 0U) && (sources[i] < VPLIC_MAX_SOURCES)) {
            bit_set(v->owned, sources[i]);
        }
    }
}

void vplic_raise(struct vplic *v, uint32_t source)
{
    if ((source < VPLIC_MAX_SOURCES) && (bit_test(v->owned, source) != 0U) && (bit_test(v->active, source) == 0U)) {
        bit_set(v->pending, source);
    }
}

uint32_t vplic_source_state(const struct vplic *v, uint32_t source)
{
    uint32_t st = 0U;

    if (source < VPLIC_MAX_SOURCES) {
        st |= (bit_test(v->pending, source) != 0U) ? VPLIC_SOURCE_PENDING : 0U;
        st |= (bit_test(v->active, source) != 0U) ? VPLIC_SOURCE_ACTIVE : 0U;
    }
    return st;
}

/* Highest-priority pending source enabled for the vhart above its threshold;
 * ties go to the lowest id (PLIC spec v1.0.0, "Interrupt Claim Process"). Returns 0 if none. */
static uint32_t best_source(const struct vplic *v, uint32_t vhart)
{
    uint32_t best = 0;
    uint32_t best_prio = v->threshold[vhart];

    /* For `make prove` only (no code): EVA widens `best`, which no loop
     * condition bounds, to any int, and the claim's bit_clear then writes past
     * the cell's pending bits into the cells after it. Every value it takes
     * is a src below VPLIC_MAX_SOURCES (the priority[src] read bounds it), so
     * that is where its widening stops (docs/safety/proof.md, "The alarm records"). */
    /*@ widen_hints best, (VPLIC_MAX_SOURCES - 1U); */
    for (uint32_t w = 0; w < VPLIC_WORDS; w++) {
        uint32_t ready = v->pending[w] & v->enable[vhart][w];
        /* Ascending ids and a strict '>' make the lowest id win a tie. The
         * b < 32 bound comes first: with bit 31 ready, b reaches 32, and
         * ready >> 32 is undefined (C11 6.5.7p3; RV64 srlw shifts by b % 32,
         * so the loop would go on past the word, reading priority[] beyond
         * the sources). */
        for (uint32_t b = 0; (b < 32U) && ((ready >> b) != 0U); b++) {
            uint32_t src = (w * 32U) + b;
            if ((((ready >> b) & 1U) != 0U) && (v->priority[src] > best_prio)) {
                best = src;
                best_prio = v->priority[src];
            }
        }
    }
    return best;
}

uint32_t vplic_line(const struct vplic *v, uint32_t vhart)
{
    return ((vhart < v->num_harts) && (best_source(v, vhart) != 0U)) ? 1U : 0U;
}

/* Claim (PLIC spec v1.0.0, "Interrupt Claim Process"): the best source stops pending, goes in service.
 * Not inlined: its scan needs a stack frame, which every other register read then set up too. */
static uint32_t vplic_claim(struct vplic *v, uint32_t vhart) __attribute__((noinline));
static uint32_t vplic_claim(struct vplic *v, uint32_t vhart)
{
    if (vhart >= v->num_harts) {
        return 0;
    }
    uint32_t src = best_source(v, vhart);
    if (src != 0U) {
        bit_clear(v->pending, src);
        bit_set(v->active, src);
    }
    return src;
}

/* 1 if the source was in service and enabled for the vhart's context, so it completes. */
static uint32_t vplic_complete(struct vplic *v, uint32_t vhart, uint32_t source)
{
    /* A completion for a source not in service or not enabled for this
     * context is silently ignored (PLIC spec v1.0.0, "Interrupt Completion"). */
    if ((vhart >= v->num_harts) || (source == 0U) || (source >= VPLIC_MAX_SOURCES) ||
        (bit_test(v->active, source) == 0U) || (bit_test(v->enable[vhart], source) == 0U)) {
        return 0;
    }
    bit_clear(v->active, source);
    return 1;
}

/* Decodes a context number into a vhart; returns 0 for S-mode contexts of the cell.
 * The contract is proved by WP (`make prove`, docs/safety/proof.md; proves: ISO-DEV-2):
 * a context of another cell's hart is refused and reported, the M-mode
 * context of an own hart is refused, and only an S-mode context of an own
 * hart yields a vhart, below num_harts. */
/*@ requires \valid_read(v) && \valid(vhart) && \valid(denied);
    requires \separated(vhart, denied, &v->num_harts);
    assigns *vhart, *denied;
    behavior own_s_context:
      assumes context / 2 < v->num_harts && context % 2 == 1;
      ensures \result == 0 && 2 * *vhart + 1 == context && *vhart < v->num_harts;
      ensures *denied == \old(*denied);
    behavior own_m_context:
      assumes context / 2 < v->num_harts && context % 2 == 0;
      ensures \result == -1 && *vhart == \old(*vhart) && *denied == \old(*denied);
    behavior foreign_context:
      assumes context / 2 >= v->num_harts;
      ensures \result == -1 && *denied == 1 && *vhart == \old(*vhart);
    complete behaviors;
    disjoint behaviors;
*/
static int context_vhart(const struct vplic *v, uint32_t context, uint32_t *vhart, uint32_t *denied)
{
    const uint32_t context_hart = context / 2U;

    if (context_hart >= v->num_harts) {
        *denied = 1U; /* another cell's context, or none at all */
        return -1;
    }
    if ((context % 2U) == 0U) {
        return -1; /* the M-mode context exists in the numbering only */
    }
    *vhart = context_hart;
    return 0;
}

struct vplic_result vplic_read(struct vplic *v, uint32_t offset)
{
    struct vplic_result r = {0U, 0U, 0U, 0U};
    uint32_t vhart = 0;

    if ((offset % 4U) != 0U) {
        r.denied = 1U;
    } else if (offset < VPLIC_PENDING_BASE) {
        uint32_t src = (offset - VPLIC_PRIORITY_BASE) / 4U;
        if ((src < VPLIC_MAX_SOURCES) && (bit_test(v->owned, src) != 0U)) {
            r.value = v->priority[src];
        }
    } else if (offset < VPLIC_ENABLE_BASE) {
        uint32_t w = (offset - VPLIC_PENDING_BASE) / 4U;
        if (w < VPLIC_WORDS) {
            r.value = v->pending[w] & v->owned[w];
        }
    } else if (offset < VPLIC_CONTEXT_BASE) {
        uint32_t rel = offset - VPLIC_ENABLE_BASE;
        uint32_t w = (rel % VPLIC_ENABLE_STRIDE) / 4U;
        if ((context_vhart(v, rel / VPLIC_ENABLE_STRIDE, &vhart, &r.denied) == 0) && (w < VPLIC_WORDS)) {
            r.value = v->enable[vhart][w];
        }
    } else {
        uint32_t rel = offset - VPLIC_CONTEXT_BASE;
        uint32_t reg = rel % VPLIC_CONTEXT_STRIDE;
        if (context_vhart(v, rel / VPLIC_CONTEXT_STRIDE, &vhart, &r.denied) == 0) {
            if (reg == 0U) {
                r.value = v->threshold[vhart];
            } else if (reg == 4U) {
                r.value = vplic_claim(v, vhart);
                if (r.value != 0U) {
                    r.changed = 1U; /* a claim: the source left pending */
                }
            } else {
                r.value = 0U;
            }
        }
    }
    return r;
}

/*@ assigns \nothing;
    ensures \result == (value > VPLIC_MAX_PRIORITY ? VPLIC_MAX_PRIORITY : value);
*/
static uint8_t clamp_priority(uint32_t value)
{
    return (uint8_t)((value > VPLIC_MAX_PRIORITY) ? VPLIC_MAX_PRIORITY : value);
}

/* The contract is proved by WP (`make prove`, docs/safety/proof.md; proves:
 * ISO-DEV-2): a priority write changes the priority of the addressed source
 * only if the cell owns it, to at most VPLIC_MAX_PRIORITY, and no other
 * priority; a write naming a foreign source changes no priority and is
 * reported (`denied`). */
/*@ requires \valid(v) && \valid(r) && \separated(v, r);
    assigns v->priority[0 .. VPLIC_MAX_SOURCES - 1], r->changed, r->denied;
    ensures \forall integer s; 0 <= s < VPLIC_MAX_SOURCES && s != offset / 4 ==>
      v->priority[s] == \old(v->priority[s]);
    behavior own_source:
      assumes offset / 4 < VPLIC_MAX_SOURCES && owned_source(v, offset / 4);
      ensures v->priority[offset / 4] == (value > VPLIC_MAX_PRIORITY ? VPLIC_MAX_PRIORITY : value);
      ensures r->denied == \old(r->denied);
    behavior foreign_source:
      assumes offset / 4 != 0;
      assumes offset / 4 >= VPLIC_MAX_SOURCES || !owned_source(v, offset / 4);
      ensures \forall integer s; 0 <= s < VPLIC_MAX_SOURCES ==> v->priority[s] == \old(v->priority[s]);
      ensures r->denied == 1 && r->changed == \old(r->changed);
    behavior reserved_source:
      assumes offset / 4 == 0 && !owned_source(v, 0);
      ensures \forall integer s; 0 <= s < VPLIC_MAX_SOURCES ==> v->priority[s] == \old(v->priority[s]);
      ensures r->denied == \old(r->denied) && r->changed == \old(r->changed);
    complete behaviors;
    disjoint behaviors;
*/
static void write_priority(struct vplic *v, uint32_t offset, uint32_t value, struct vplic_result *r)
{
    uint32_t src = offset / 4U;

    if ((src < VPLIC_MAX_SOURCES) && (bit_test(v->owned, src) != 0U)) {
        uint8_t prio = clamp_priority(value);
        if (v->priority[src] != prio) {
            r->changed = 1U;
        }
        v->priority[src] = prio;
    } else if (src != 0U) {
        r->denied = 1U;
    } else {
        /* source 0 is reserved: the write is ignored */
    }
}

uint32_t vplic_write_priority(struct vplic *v, uint32_t offset, uint32_t value)
{
    struct vplic_result r = {0U, 0U, 0U, 0U};

    write_priority(v, offset, value, &r);
    return ((r.changed != 0U) ? VPLIC_PRIORITY_CHANGED : 0U) | ((r.denied != 0U) ? VPLIC_PRIORITY_DENIED : 0U);
}

/* The contract is proved by WP (`make prove`, docs/safety/proof.md; proves:
 * ISO-DEV-2): an enable write changes one word, the addressed word of the
 * S-mode context of one of the cell's own harts, and sets in it only bits
 * of sources the cell owns; a write to another cell's context changes no
 * enable bit and is reported, as is one that tries to enable a foreign source. */
/*@ requires \valid(v) && \valid(r) && \separated(v, r);
    requires v->num_harts <= VPLIC_MAX_HARTS;
    requires offset >= VPLIC_ENABLE_BASE;
    assigns v->enable[0 .. VPLIC_MAX_HARTS - 1][0 .. VPLIC_WORDS - 1], r->changed, r->denied;
    behavior own_s_context:
      assumes (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2 < v->num_harts;
      assumes (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE % 2 == 1;
      assumes (offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4 < VPLIC_WORDS;
      ensures v->enable[(offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2]
                       [(offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4] ==
        (value & v->owned[(offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4]);
      ensures \forall integer b; 0 <= b < 32 ==>
        ((v->enable[(offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2]
                   [(offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4] >> b) & 1) != 0 ==>
        ((v->owned[(offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4] >> b) & 1) != 0;
      ensures \forall integer i, k; 0 <= i < VPLIC_MAX_HARTS && 0 <= k < VPLIC_WORDS &&
        (i != (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2 ||
         k != (offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4) ==>
        v->enable[i][k] == \old(v->enable[i][k]);
      ensures (value & (uint32_t)~v->owned[(offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4]) != 0 ==> r->denied == 1;
    behavior other_context:
      assumes (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2 >= v->num_harts ||
        (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE % 2 == 0 ||
        (offset - VPLIC_ENABLE_BASE) % VPLIC_ENABLE_STRIDE / 4 >= VPLIC_WORDS;
      ensures \forall integer i, k; 0 <= i < VPLIC_MAX_HARTS && 0 <= k < VPLIC_WORDS ==>
        v->enable[i][k] == \old(v->enable[i][k]);
      ensures (offset - VPLIC_ENABLE_BASE) / VPLIC_ENABLE_STRIDE / 2 >= v->num_harts ==> r->denied == 1;
    complete behaviors;
    disjoint behaviors;
*/
static void write_enable(struct vplic *v, uint32_t offset, uint32_t value, struct vplic_result *r)
{
    uint32_t rel = offset - VPLIC_ENABLE_BASE;
    uint32_t w = (rel % VPLIC_ENABLE_STRIDE) / 4U;
    uint32_t vhart = 0;

    if ((context_vhart(v, rel / VPLIC_ENABLE_STRIDE, &vhart, &r->denied) == 0) && (w < VPLIC_WORDS)) {
        if ((value & ~v->owned[w]) != 0U) {
            r->denied = 1U; /* tried to enable a foreign source: that bit stays 0 */
        }
        uint32_t enable = value & v->owned[w];
        if (v->enable[vhart][w] != enable) {
            r->changed = 1U;
        }
        v->enable[vhart][w] = enable;
    }
}

static void write_complete(struct vplic *v, uint32_t vhart, uint32_t source, struct vplic_result *r)
{
    if (vplic_complete(v, vhart, source) != 0U) {
        r->completed = source;
        r->changed = 1U;
    } else if ((source >= VPLIC_MAX_SOURCES) || ((source != 0U) && (bit_test(v->owned, source) == 0U))) {
        r->denied = 1U;
    } else {
        /* completing a source not in service is ignored */
    }
}

static void write_context(struct vplic *v, uint32_t offset, uint32_t value, struct vplic_result *r)
{
    uint32_t rel = offset - VPLIC_CONTEXT_BASE;
    uint32_t reg = rel % VPLIC_CONTEXT_STRIDE;
    uint32_t vhart = 0;

    if (context_vhart(v, rel / VPLIC_CONTEXT_STRIDE, &vhart, &r->denied) != 0) {
        return;
    }
    if (reg == 0U) {
        uint8_t threshold = clamp_priority(value);
        if (v->threshold[vhart] != threshold) {
            r->changed = 1U;
        }
        v->threshold[vhart] = threshold;
    } else if (reg == 4U) {
        write_complete(v, vhart, value, r);
    } else {
        /* reserved context registers */
    }
}

struct vplic_result vplic_write(struct vplic *v, uint32_t offset, uint32_t value)
{
    struct vplic_result r = {0U, 0U, 0U, 0U};

    if ((offset % 4U) != 0U) {
        r.denied = 1U;
    } else if (offset < VPLIC_PENDING_BASE) {
        write_priority(v, offset, value, &r);
    } else if (offset < VPLIC_ENABLE_BASE) {
        /* pending bits are read-only (PLIC spec v1.0.0, "Interrupt Pending Bits") */
    } else if (offset < VPLIC_CONTEXT_BASE) {
        write_enable(v, offset, value, &r);
    } else {
        write_context(v, offset, value, &r);
    }
    return r;
}
