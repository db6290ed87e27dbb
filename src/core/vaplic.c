/* SPDX-License-Identifier: Apache-2.0 */
/* The emulated APLIC domain of an "aia" cell (vaplic.h; RISC-V AIA spec v1.0, ch. 4). */
#include "bulkhead/vaplic.h"
#include "bulkhead/aplic.h"

#include <stddef.h>

#define DOMAINCFG_RO 0x80000000U /* bits 31:24 read 0x80 (4.5.1) */
#define DOMAINCFG_IE 0x100U
#define DOMAINCFG_DM 0x4U /* MSI delivery mode: the only mode this domain has */
#define SOURCECFG_D  0x400U
#define SOURCECFG_SM 0x7U
#define SM_DETACHED  1U
#define SM_EDGE1     4U
#define TARGET_HART  18U    /* hart index, bits 31:18 (4.5.16) */
#define TARGET_EIID  0x7ffU /* bits 10:0; the guest index (17:12) is read-only zero here */
#define NUM_SOURCES  1024U  /* sources 1..1023; setip[k] etc. cover 32 each, k < 32 */
#define WORD_REGS    0x80U  /* 32 words of 32 bits */

/* Index of the cell's own source s in v->source, or -1: a foreign or nonexistent source. */
static int own_index(const struct vaplic *v, uint32_t s)
{
    for (uint32_t i = 0; i < v->num_sources; i++) {
        if (v->source[i] == s) {
            return (int)i;
        }
    }
    return -1;
}

/* Physical target of own source i: its virtual hart's physical hart and guest file (4.5.16). */
static uint32_t phys_target(const struct vaplic *v, uint32_t i)
{
    uint32_t vhart = v->target[i] >> TARGET_HART;

    return aplic_msi_target(v->msi_hart[vhart], v->msi_guest[vhart], v->target[i] & TARGET_EIID);
}

/* Hardware state of own source i from the virtual state: mode, then target, then enable
 * (target registers of an inactive source are read-only zero, 4.5.16). */
static void sync_source(const struct vaplic *v, uint32_t i)
{
    uint32_t s = v->source[i];

    aplic_set_enabled(s, 0U);
    aplic_set_sourcecfg(s, v->sourcecfg[i]);
    if (v->sourcecfg[i] != APLIC_SM_INACTIVE) {
        aplic_set_target(s, phys_target(v, i));
        if ((v->enabled[i] != 0U) && (v->enabled_domain != 0U)) {
            aplic_set_enabled(s, 1U);
        }
    }
}

int vaplic_vsource_index(const struct vaplic *v, uint32_t source)
{
    for (uint32_t i = 0; i < v->num_vsources; i++) {
        if ((source != 0U) && (v->vs[i].source == source)) {
            return (int)i;
        }
    }
    return -1;
}

void vaplic_init(struct vaplic *v, uint32_t num_harts, const uint32_t *phys_harts, const uint32_t *guest_files,
                 const uint32_t *sources, uint32_t num_sources, const uint32_t *vsources, uint32_t num_vsources)
{
    v->num_harts = (num_harts <= VAPLIC_MAX_HARTS) ? num_harts : VAPLIC_MAX_HARTS;
    for (uint32_t h = 0; h < v->num_harts; h++) {
        v->msi_hart[h] = phys_harts[h];
        v->msi_guest[h] = guest_files[h];
    }
    v->num_sources = (num_sources <= VAPLIC_MAX_SOURCES) ? num_sources : VAPLIC_MAX_SOURCES;
    v->enabled_domain = 0U;
    for (uint32_t i = 0; i < v->num_sources; i++) {
        v->source[i] = sources[i];
        v->sourcecfg[i] = APLIC_SM_INACTIVE;
        v->target[i] = 0U;
        v->enabled[i] = 0U;
        sync_source(v, i);
    }
    v->num_vsources = (num_vsources <= VAPLIC_MAX_VSOURCES) ? num_vsources : VAPLIC_MAX_VSOURCES;
    for (uint32_t i = 0; i < v->num_vsources; i++) {
        v->vs[i].source = vsources[i];
        v->vs[i].input = 0U;
        vaplic_vsource_configure(&v->vs[i], APLIC_SM_INACTIVE);
    }
}

/* The emulated sources' bits in a 32-source word register: pending (0), rectified input (1) or enabled (2). */
static uint32_t vsource_bits(const struct vaplic *v, uint32_t word, uint32_t which)
{
    uint32_t bits = 0U;

    for (uint32_t i = 0; i < v->num_vsources; i++) {
        const struct vaplic_vsource *e = &v->vs[i];
        uint32_t bit = e->pending;
        if (which == 1U) {
            bit = vaplic_vsource_rectified(e);
        } else if (which == 2U) {
            bit = e->enabled;
        } else {
            /* pending */
        }
        if (((e->source / 32U) == word) && (vaplic_vsource_active(e) != 0U)) {
            bits |= bit << (e->source % 32U);
        }
    }
    return bits;
}

/* A bit of a 32-source register word: own source, active. */
static uint32_t active_bits(const struct vaplic *v, uint32_t word, const uint32_t *per_source)
{
    uint32_t bits = 0U;

    for (uint32_t i = 0; i < v->num_sources; i++) {
        if (((v->source[i] / 32U) == word) && (v->sourcecfg[i] != APLIC_SM_INACTIVE) &&
            ((per_source == NULL) || (per_source[i] != 0U))) {
            bits |= 1U << (v->source[i] % 32U);
        }
    }
    return bits;
}

/* offset lies in [base, base + size): unsigned, so an offset below base wraps past size. */
static uint32_t in_range(uint32_t offset, uint32_t base, uint32_t size)
{
    return ((offset - base) < size) ? 1U : 0U;
}

#define SOURCE_REGS ((NUM_SOURCES - 1U) * 4U) /* sourcecfg[1..1023], target[1..1023] */

/* Source s of sourcecfg[s] or target[s] at offset from the array's base. */
static uint32_t source_at(uint32_t offset, uint32_t base)
{
    return ((offset - base) / 4U) + 1U;
}

/* A 32-source word register: setip (pending), in_clrip (inputs), setie (enables); clrie reads zero. */
static uint32_t read_word(const struct vaplic *v, uint32_t offset)
{
    uint32_t word = (offset & (WORD_REGS - 1U)) / 4U;
    uint32_t value = 0U;

    if (in_range(offset, VAPLIC_SETIP, WORD_REGS) != 0U) {
        value = (aplic_pending_word(word) & active_bits(v, word, NULL)) | vsource_bits(v, word, 0U);
    } else if (in_range(offset, VAPLIC_IN_CLRIP, WORD_REGS) != 0U) {
        value = (aplic_input_word(word) & active_bits(v, word, NULL)) | vsource_bits(v, word, 1U);
    } else if (in_range(offset, VAPLIC_SETIE, WORD_REGS) != 0U) {
        value = active_bits(v, word, v->enabled) | vsource_bits(v, word, 2U);
    } else {
        /* clrie, the *num registers, genmsi, msiaddrcfg and reserved space read zero */
    }
    return value;
}

struct vaplic_result vaplic_read(const struct vaplic *v, uint32_t offset)
{
    struct vaplic_result r = {0U, 0U};

    if (offset == VAPLIC_DOMAINCFG) {
        r.value = (DOMAINCFG_RO | DOMAINCFG_DM) | ((v->enabled_domain != 0U) ? DOMAINCFG_IE : 0U);
    } else if (in_range(offset, VAPLIC_SOURCECFG, SOURCE_REGS) != 0U) {
        uint32_t s = source_at(offset, VAPLIC_SOURCECFG);
        int i = own_index(v, s);
        int e = vaplic_vsource_index(v, s);
        r.value = (e >= 0) ? v->vs[e].cfg : ((i >= 0) ? v->sourcecfg[i] : 0U);
    } else if (in_range(offset, VAPLIC_TARGET, SOURCE_REGS) != 0U) {
        uint32_t s = source_at(offset, VAPLIC_TARGET);
        int i = own_index(v, s);
        int e = vaplic_vsource_index(v, s);
        r.value = ((i >= 0) && (v->sourcecfg[i] != APLIC_SM_INACTIVE)) ? v->target[i] : 0U;
        if ((e >= 0) && (vaplic_vsource_active(&v->vs[e]) != 0U)) {
            r.value = v->vs[e].target;
        }
    } else {
        r.value = read_word(v, offset);
    }
    return r;
}

static void write_domaincfg(struct vaplic *v, uint32_t value)
{
    uint32_t on = 0U;

    if ((value & DOMAINCFG_IE) != 0U) {
        on = 1U;
    }
    v->enabled_domain = on;
    for (uint32_t i = 0; i < v->num_sources; i++) {
        if (v->sourcecfg[i] != APLIC_SM_INACTIVE) {
            aplic_set_enabled(v->source[i], ((v->enabled[i] != 0U) && (v->enabled_domain != 0U)) ? 1U : 0U);
        }
    }
}

/* sourcecfg[s] (4.5.2): D reads zero (no child domain), reserved modes 2 and 3 are taken as inactive. */
static uint32_t write_sourcecfg(struct vaplic *v, uint32_t s, uint32_t value)
{
    int i = own_index(v, s);
    uint32_t sm = value & SOURCECFG_SM;

    if ((value & SOURCECFG_D) != 0U) {
        sm = APLIC_SM_INACTIVE;
    }
    if ((sm != APLIC_SM_INACTIVE) && (sm != SM_DETACHED) && (sm < SM_EDGE1)) {
        sm = APLIC_SM_INACTIVE;
    }
    int e = vaplic_vsource_index(v, s);
    if (e >= 0) {
        vaplic_vsource_configure(&v->vs[e], sm);
        return 0U;
    }
    if (i < 0) {
        return (sm != APLIC_SM_INACTIVE) ? 1U : 0U;
    }
    v->sourcecfg[i] = sm;
    if (sm == APLIC_SM_INACTIVE) {
        v->enabled[i] = 0U; /* ie of an inactive source is read-only zero */
    }
    sync_source(v, (uint32_t)i);
    return 0U;
}

/* target[s] in MSI mode (4.5.16): a hart index past the cell's harts would aim the MSI at a file not its own. */
static uint32_t write_target(struct vaplic *v, uint32_t s, uint32_t value)
{
    int i = own_index(v, s);
    uint32_t vhart = value >> TARGET_HART;

    int e = vaplic_vsource_index(v, s);
    if (e >= 0) {
        return vaplic_vsource_aim(&v->vs[e], value, v->num_harts);
    }
    if ((i < 0) || (v->sourcecfg[i] == APLIC_SM_INACTIVE)) {
        return 0U; /* read-only zero: the write does nothing */
    }
    if (vhart >= v->num_harts) {
        return 1U;
    }
    v->target[i] = (vhart << TARGET_HART) | (value & TARGET_EIID);
    aplic_set_target(s, phys_target(v, (uint32_t)i));
    return 0U;
}

static uint32_t enable_source(struct vaplic *v, uint32_t s, uint32_t on)
{
    int i = own_index(v, s);

    int e = vaplic_vsource_index(v, s);
    if (e >= 0) {
        vaplic_vsource_enable(&v->vs[e], on);
        return 0U;
    }
    if ((i < 0) || (v->sourcecfg[i] == APLIC_SM_INACTIVE)) {
        return ((i < 0) && (on != 0U) && (s != 0U)) ? 1U : 0U;
    }
    v->enabled[i] = on;
    aplic_set_enabled(s, ((on != 0U) && (v->enabled_domain != 0U)) ? 1U : 0U);
    return 0U;
}

/* setipnum (4.5.7): for a level source the hardware pends it only if it still requests (4.9.2). */
static uint32_t pend_source(struct vaplic *v, uint32_t s, uint32_t on)
{
    int i = own_index(v, s);

    int e = vaplic_vsource_index(v, s);
    if (e >= 0) {
        vaplic_vsource_pend(&v->vs[e], on);
        return 0U;
    }
    if ((i < 0) || (v->sourcecfg[i] == APLIC_SM_INACTIVE)) {
        return ((i < 0) && (on != 0U) && (s != 0U)) ? 1U : 0U;
    }
    if (on != 0U) {
        aplic_retrigger(s);
    } else {
        aplic_clear_pending(s);
    }
    return 0U;
}

/* A 32-source word register: each set bit is the matching *num write. */
static uint32_t write_word(struct vaplic *v, uint32_t word, uint32_t bits, uint32_t is_enable, uint32_t on)
{
    uint32_t denied = 0U;

    for (uint32_t b = 0; b < 32U; b++) {
        if (((bits >> b) & 1U) != 0U) {
            uint32_t s = (word * 32U) + b;
            denied |= (is_enable != 0U) ? enable_source(v, s, on) : pend_source(v, s, on);
        }
    }
    return denied;
}

static uint32_t bswap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00U) | ((x << 8) & 0xff0000U) | (x << 24);
}

/* The registers whose value names one source (4.5.7, 4.5.10, 4.5.12, 4.5.13, 4.5.14). */
static uint32_t write_numbered(struct vaplic *v, uint32_t offset, uint32_t value)
{
    uint32_t denied = 0U;

    switch (offset) {
    case VAPLIC_SETIPNUM:
    case VAPLIC_SETIPNUM_LE: denied = pend_source(v, value, 1U); break;
    case VAPLIC_SETIPNUM_BE: denied = pend_source(v, bswap32(value), 1U); break;
    case VAPLIC_CLRIPNUM: denied = pend_source(v, value, 0U); break;
    case VAPLIC_SETIENUM: denied = enable_source(v, value, 1U); break;
    case VAPLIC_CLRIENUM: denied = enable_source(v, value, 0U); break;
    default:
        /* genmsi, msiaddrcfg, reserved: read-only zero */
        break;
    }
    return denied;
}

/* setip, in_clrip, setie, clrie: each set bit is the matching *num write. */
static uint32_t write_words(struct vaplic *v, uint32_t offset, uint32_t value)
{
    uint32_t word = (offset & (WORD_REGS - 1U)) / 4U;
    uint32_t denied;

    if (in_range(offset, VAPLIC_SETIP, WORD_REGS) != 0U) {
        denied = write_word(v, word, value, 0U, 1U);
    } else if (in_range(offset, VAPLIC_IN_CLRIP, WORD_REGS) != 0U) {
        denied = write_word(v, word, value, 0U, 0U);
    } else if (in_range(offset, VAPLIC_SETIE, WORD_REGS) != 0U) {
        denied = write_word(v, word, value, 1U, 1U);
    } else if (in_range(offset, VAPLIC_CLRIE, WORD_REGS) != 0U) {
        denied = write_word(v, word, value, 1U, 0U);
    } else {
        denied = write_numbered(v, offset, value);
    }
    return denied;
}

struct vaplic_result vaplic_write(struct vaplic *v, uint32_t offset, uint32_t value)
{
    struct vaplic_result r = {0U, 0U};

    if (offset == VAPLIC_DOMAINCFG) {
        write_domaincfg(v, value);
    } else if (in_range(offset, VAPLIC_SOURCECFG, SOURCE_REGS) != 0U) {
        r.denied = write_sourcecfg(v, source_at(offset, VAPLIC_SOURCECFG), value);
    } else if (in_range(offset, VAPLIC_TARGET, SOURCE_REGS) != 0U) {
        r.denied = write_target(v, source_at(offset, VAPLIC_TARGET), value);
    } else {
        r.denied = write_words(v, offset, value);
    }
    return r;
}

void vaplic_vsource_line(struct vaplic *v, uint32_t i, uint32_t level)
{
    vaplic_vsource_input(&v->vs[i], level);
}

uint32_t vaplic_vsource_ring(struct vaplic *v, uint32_t i)
{
    uint32_t merged = v->vs[i].pending;

    vaplic_vsource_input(&v->vs[i], 1U);
    vaplic_vsource_input(&v->vs[i], 0U);
    return merged;
}

uint32_t vaplic_vsource_take(struct vaplic *v, uint32_t i)
{
    return vaplic_vsource_forward(&v->vs[i], v->enabled_domain);
}

void vaplic_vsource_msi(const struct vaplic *v, uint32_t i, uint32_t *phys_hart, uint32_t *guest_file, uint32_t *eiid)
{
    uint32_t vhart = vaplic_vsource_vhart(&v->vs[i]);

    *phys_hart = v->msi_hart[vhart];
    *guest_file = v->msi_guest[vhart];
    *eiid = vaplic_vsource_eiid(&v->vs[i]);
}
