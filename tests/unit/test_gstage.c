/* SPDX-License-Identifier: Apache-2.0 */
/*
 * G-stage generation (tools/bhconfig/gstage.c), checked by walking the
 * tables the way the hardware does (priv spec, "Two-Stage Address
 * Translation" and the Sv39 walk of "Virtual Address Translation Process"),
 * independently of the generator's own code.
 */
#include "testlib.h"

#include <string.h>

#include "cellmap.h"
#include "diag.h"
#include "gstage.h"
#include "layout.h"
#include "platform.h"
#include "sysconf.h"

#define BASE 0x80400000ULL

struct walk {
    int ok; /* 1: translated */
    uint64_t host;
    uint64_t pte;
    unsigned level; /* 2: 1 GiB leaf, 1: 2 MiB, 0: 4 KiB */
};

/* Read the 8-byte word at physical address pa inside the tables. */
static uint64_t load(const struct gs_tables *t, uint64_t pa)
{
    assert_true(pa >= t->base_pa);
    uint64_t off = pa - t->base_pa;
    assert_true(off / 4096U < t->num_pages);
    return t->pages[off / 4096U][(off % 4096U) / 8U];
}

/* Sv39x4 walk: root index GPA[40:30] over 16 KiB; then 9-bit indices. */
static struct walk translate(const struct gs_tables *t, uint64_t hgatp, uint64_t gpa)
{
    struct walk w = {0, 0, 0, 0};
    assert_int_equal(hgatp >> 60, 8); /* MODE = Sv39x4 */
    if ((gpa >> 41) != 0U) {
        return w; /* guest-page fault: bits above 40 must be zero */
    }
    uint64_t a = (hgatp & ((1ULL << 44) - 1U)) << 12;
    for (int level = 2; level >= 0; level--) {
        uint64_t idx = (level == 2) ? (gpa >> 30) & 0x7ffU : (gpa >> (12 + 9 * level)) & 0x1ffU;
        uint64_t pte = load(t, a + idx * 8U);
        if ((pte & GS_PTE_V) == 0U || ((pte & GS_PTE_W) != 0U && (pte & GS_PTE_R) == 0U)) {
            return w;
        }
        uint64_t ppn = (pte >> 10) & ((1ULL << 44) - 1U);
        if ((pte & (GS_PTE_R | GS_PTE_X)) != 0U) {
            uint64_t span = 1ULL << (12 + 9 * level);
            if (((ppn << 12) & (span - 1U)) != 0U) {
                return w; /* misaligned superpage */
            }
            w.ok = 1;
            w.host = (ppn << 12) | (gpa & (span - 1U));
            w.pte = pte;
            w.level = (unsigned)level;
            return w;
        }
        /* non-leaf: D, A and U are reserved and must be zero */
        assert_int_equal(pte & (GS_PTE_D | GS_PTE_A | GS_PTE_U), 0);
        a = ppn << 12;
    }
    return w;
}

static void expect_map(const struct gs_tables *t, uint64_t hgatp, uint64_t gpa, uint64_t host, uint64_t rights,
                       unsigned level)
{
    struct walk w = translate(t, hgatp, gpa);
    assert_int_equal(w.ok, 1);
    assert_int_equal(w.host, host);
    assert_int_equal(w.level, level);
    assert_int_equal(w.pte & (GS_PTE_R | GS_PTE_W | GS_PTE_X), rights);
    assert_true((w.pte & GS_PTE_U) != 0U); /* G-stage leaves are U */
    assert_true((w.pte & GS_PTE_A) != 0U);
    assert_int_equal((w.pte & GS_PTE_D) != 0U, (rights & GS_PTE_W) != 0U);
    assert_int_equal(w.pte & GS_PTE_G, 0);
}

static void expect_hole(const struct gs_tables *t, uint64_t hgatp, uint64_t gpa)
{
    assert_int_equal(translate(t, hgatp, gpa).ok, 0);
}

/* verifies: ISO-MEM-1 */
static void test_two_mega_pages(void **state)
{
    (void)state;
    struct gs_tables t;
    struct gs_stats st = {0, 0, 0};
    gs_init(&t, BASE, 1);
    struct gs_map m = {0x80000000ULL, 0x88000000ULL, 0x8000000ULL, GS_R | GS_W | GS_X};
    assert_int_equal(gs_map(&t, 0, &m, &st), GS_OK);
    uint64_t h = gs_hgatp(&t, 0, 1);
    assert_int_equal(st.mega, 64);
    assert_int_equal(st.giga, 0);
    assert_int_equal(st.pages, 0);
    expect_map(&t, h, 0x80000000ULL, 0x88000000ULL, GS_R | GS_W | GS_X, 1);
    expect_map(&t, h, 0x87ffffffULL, 0x8fffffffULL, GS_R | GS_W | GS_X, 1);
    expect_map(&t, h, 0x80212345ULL, 0x88212345ULL, GS_R | GS_W | GS_X, 1);
    expect_hole(&t, h, 0x88000000ULL);
    expect_hole(&t, h, 0x7fffffffULL);
    expect_hole(&t, h, 0x0ULL);
    assert_int_equal(t.num_pages, 4 + 1); /* root + one level-1 table */
    gs_free(&t);
}

/* verifies: ISO-MEM-1 */
static void test_giga_page(void **state)
{
    (void)state;
    struct gs_tables t;
    struct gs_stats st = {0, 0, 0};
    gs_init(&t, BASE, 1);
    struct gs_map m = {0x40000000ULL, 0xc0000000ULL, 0x40000000ULL, GS_R | GS_W};
    assert_int_equal(gs_map(&t, 0, &m, &st), GS_OK);
    assert_int_equal(st.giga, 1);
    uint64_t h = gs_hgatp(&t, 0, 3);
    expect_map(&t, h, 0x40000000ULL, 0xc0000000ULL, GS_R | GS_W, 2);
    expect_map(&t, h, 0x7fffffffULL, 0xffffffffULL, GS_R | GS_W, 2);
    expect_hole(&t, h, 0x80000000ULL);
    assert_int_equal(t.num_pages, 4); /* only the root */
    gs_free(&t);
}

/* Host not 1 GiB aligned: 2 MiB pages although the guest side would allow 1 GiB. */
/* verifies: ISO-MEM-1 */
static void test_alignment_limits_page_size(void **state)
{
    (void)state;
    struct gs_tables t;
    struct gs_stats st = {0, 0, 0};
    gs_init(&t, BASE, 1);
    struct gs_map m = {0x40000000ULL, 0x90200000ULL, 0x40000000ULL, GS_R};
    assert_int_equal(gs_map(&t, 0, &m, &st), GS_OK);
    assert_int_equal(st.giga, 0);
    assert_int_equal(st.mega, 512);
    expect_map(&t, gs_hgatp(&t, 0, 1), 0x40000000ULL, 0x90200000ULL, GS_R, 1);
    gs_free(&t);
}

/* 4 KiB head and tail around 2 MiB pages in the middle. */
/* verifies: ISO-MEM-1 */
static void test_mixed_sizes(void **state)
{
    (void)state;
    struct gs_tables t;
    struct gs_stats st = {0, 0, 0};
    gs_init(&t, BASE, 1);
    /* 0x801ff000 .. 0x80401fff: 1 page, one 2 MiB page, 2 pages */
    struct gs_map m = {0x801ff000ULL, 0x901ff000ULL, 0x203000ULL, GS_R | GS_X};
    assert_int_equal(gs_map(&t, 0, &m, &st), GS_OK);
    assert_int_equal(st.pages, 3);
    assert_int_equal(st.mega, 1);
    uint64_t h = gs_hgatp(&t, 0, 1);
    expect_map(&t, h, 0x801ff000ULL, 0x901ff000ULL, GS_R | GS_X, 0);
    expect_map(&t, h, 0x80200000ULL, 0x90200000ULL, GS_R | GS_X, 1);
    expect_map(&t, h, 0x803fffffULL, 0x903fffffULL, GS_R | GS_X, 1);
    expect_map(&t, h, 0x80400000ULL, 0x90400000ULL, GS_R | GS_X, 0);
    expect_map(&t, h, 0x80401abcULL, 0x90401abcULL, GS_R | GS_X, 0);
    expect_hole(&t, h, 0x801fe000ULL);
    expect_hole(&t, h, 0x80402000ULL);
    gs_free(&t);
}

/* GPA bits 40:39 select the upper three 4 KiB pages of the 16 KiB root. */
/* verifies: ISO-MEM-1 */
static void test_upper_root_pages(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 1);
    struct gs_map m = {0x1ffc0000000ULL, 0x80000000ULL, 0x40000000ULL, GS_R | GS_W};
    assert_int_equal(gs_map(&t, 0, &m, NULL), GS_OK);
    assert_int_not_equal(t.pages[3][511], 0); /* root entry 2047 */
    expect_map(&t, gs_hgatp(&t, 0, 1), 0x1ffc0001000ULL, 0x80001000ULL, GS_R | GS_W, 2);
    expect_hole(&t, gs_hgatp(&t, 0, 1), 0x40000000ULL);
    gs_free(&t);
}

/* Several address spaces: roots first, 16 KiB each and 16 KiB aligned, hgatp per VMID. */
/* verifies: ISO-MEM-1 */
static void test_roots_and_hgatp(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 3);
    assert_int_equal(gs_root_pa(&t, 0), BASE);
    assert_int_equal(gs_root_pa(&t, 1), BASE + 0x4000U);
    assert_int_equal(gs_root_pa(&t, 2), BASE + 0x8000U);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(gs_root_pa(&t, i) % 0x4000U, 0);
    }
    uint64_t h = gs_hgatp(&t, 1, 2);
    assert_int_equal(h >> 60, 8);
    assert_int_equal((h >> 44) & 0x3fffU, 2);
    assert_int_equal((h & ((1ULL << 44) - 1U)) << 12, BASE + 0x4000U);
    struct gs_map a = {0x80000000ULL, 0x88000000ULL, 0x200000ULL, GS_R | GS_W | GS_X};
    struct gs_map b = {0x80000000ULL, 0x90000000ULL, 0x200000ULL, GS_R};
    assert_int_equal(gs_map(&t, 0, &a, NULL), GS_OK);
    assert_int_equal(gs_map(&t, 2, &b, NULL), GS_OK);
    expect_map(&t, gs_hgatp(&t, 0, 1), 0x80000000ULL, 0x88000000ULL, GS_R | GS_W | GS_X, 1);
    expect_hole(&t, gs_hgatp(&t, 1, 2), 0x80000000ULL);
    expect_map(&t, gs_hgatp(&t, 2, 3), 0x80000000ULL, 0x90000000ULL, GS_R, 1);
    assert_int_equal(t.num_pages, 12 + 2);
    assert_int_equal(t.page_root[12], 0);
    assert_int_equal(t.page_level[12], 1);
    assert_int_equal(t.page_root[13], 2);
    gs_free(&t);
}

/* verifies: ISO-MEM-1, ISO-DEV-1 */
static void test_device_identity_rw(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 1);
    struct gs_map m = {0x10008000ULL, 0x10008000ULL, 0x1000ULL, GS_R | GS_W};
    assert_int_equal(gs_map(&t, 0, &m, NULL), GS_OK);
    uint64_t h = gs_hgatp(&t, 0, 1);
    expect_map(&t, h, 0x10008010ULL, 0x10008010ULL, GS_R | GS_W, 0);
    expect_hole(&t, h, 0x10007000ULL);
    expect_hole(&t, h, 0x10009000ULL);
    expect_hole(&t, h, 0x10000000ULL); /* the UART page stays unmapped: it traps */
    expect_hole(&t, h, 0x0c000000ULL); /* so does the PLIC */
    /* the same page again (two devices sharing it) is not a conflict */
    assert_int_equal(gs_map(&t, 0, &m, NULL), GS_OK);
    gs_free(&t);
}

/* verifies: ISO-MEM-1 */
static void test_conflicts(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 1);
    struct gs_map big = {0x80000000ULL, 0x88000000ULL, 0x400000ULL, GS_R | GS_W};
    struct gs_map inner = {0x80201000ULL, 0x99000000ULL, 0x1000ULL, GS_R};
    struct gs_map around = {0x80000000ULL, 0x80000000ULL, 0x40000000ULL, GS_R};
    assert_int_equal(gs_map(&t, 0, &big, NULL), GS_OK);
    assert_int_equal(gs_map(&t, 0, &inner, NULL), GS_ERR_CONFLICT);
    assert_int_equal(gs_map(&t, 0, &around, NULL), GS_ERR_CONFLICT);
    /* the first mapping is untouched */
    expect_map(&t, gs_hgatp(&t, 0, 1), 0x80201000ULL, 0x88201000ULL, GS_R | GS_W, 1);
    gs_free(&t);
}

/* verifies: ISO-MEM-1 */
static void test_rejects_bad_requests(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 1);
    struct gs_map cases[] = {
        {0x80000800ULL, 0x88000000ULL, 0x1000ULL, GS_R}, /* guest not 4 KiB aligned */
        {0x80000000ULL, 0x88000100ULL, 0x1000ULL, GS_R}, /* host */
        {0x80000000ULL, 0x88000000ULL, 0x1800ULL, GS_R}, /* size */
        {0x80000000ULL, 0x88000000ULL, 0x0ULL, GS_R},    /* empty */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(gs_map(&t, 0, &cases[i], NULL), GS_ERR_ALIGN);
    }
    struct gs_map high = {0x20000000000ULL, 0x88000000ULL, 0x1000ULL, GS_R}; /* GPA bit 41 */
    struct gs_map edge = {0x1fffffff000ULL, 0x88000000ULL, 0x2000ULL, GS_R}; /* crosses 2^41 */
    struct gs_map noread = {0x80000000ULL, 0x88000000ULL, 0x1000ULL, GS_W};
    struct gs_map noroot = {0x80000000ULL, 0x88000000ULL, 0x1000ULL, GS_R};
    assert_int_equal(gs_map(&t, 0, &high, NULL), GS_ERR_RANGE);
    assert_int_equal(gs_map(&t, 0, &edge, NULL), GS_ERR_RANGE);
    assert_int_equal(gs_map(&t, 0, &noread, NULL), GS_ERR_RIGHTS);
    assert_int_equal(gs_map(&t, 1, &noroot, NULL), GS_ERR_RIGHTS);
    assert_int_equal(t.num_pages, 4);
    gs_free(&t);
}

/* Many 4 KiB pages spread over many 2 MiB ranges grow the page array. */
/* verifies: ISO-MEM-1 */
static void test_growth(void **state)
{
    (void)state;
    struct gs_tables t;
    gs_init(&t, BASE, 1);
    for (uint64_t i = 0; i < 64; i++) {
        struct gs_map m = {0x80000000ULL + i * 0x200000ULL + 0x1000ULL, 0x90000000ULL + i * 0x1000ULL, 0x1000ULL, GS_R};
        assert_int_equal(gs_map(&t, 0, &m, NULL), GS_OK);
    }
    assert_int_equal(t.num_pages, 4 + 1 + 64);
    uint64_t h = gs_hgatp(&t, 0, 1);
    for (uint64_t i = 0; i < 64; i++) {
        expect_map(&t, h, 0x80000000ULL + i * 0x200000ULL + 0x1000ULL, 0x90000000ULL + i * 0x1000ULL, GS_R, 0);
        expect_hole(&t, h, 0x80000000ULL + i * 0x200000ULL);
    }
    gs_free(&t);
}

/* A system that validates without a diagnostic, mapped as the compiler maps it. */
static void build_checked_maps(struct sys *s, const struct platform *p, const struct kconf *k, struct gs_tables *t)
{
    struct hyp_layout l;

    tl_validate_all(s, p, k);
    tl_expect_no_diag();
    layout_code(s, p, k, &l);
    assert_true(cellmap_build(s, p, s->hyp.base + l.code_size, t, NULL));
    layout_free(&l);
}

/*
 * Channels through the whole compiler (parse, validate, cellmap_build): each
 * member sees the one host range at its own guest address with exactly its
 * declared rights, never executable; the third cell, the page after the
 * channel and every doorbell page stay holes.
 */
#define CH_CELL(name, hart, host, db) \
    "  " name " { harts = <" hart ">; image = \"img4k\"; image-address = <0x0 0x80200000>;" db \
    "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 " host ">;" \
    "     size = <0x0 0x1000000>; access = \"rwx\"; }; };\n"
#define CH_DB " doorbell-address = <0x0 0x20000000>;"

/* verifies: ISO-SHM-1 */
static void test_channel_mappings(void **state)
{
    (void)state;
    struct platform p;
    struct kconf k;
    struct sys s;
    struct gs_tables t;
    const char *cells = CH_CELL("a", "0", "0x88000000", CH_DB) CH_CELL("b", "1", "0x89000000", CH_DB)
        CH_CELL("c", "2", "0x8a000000", "");
    const char *channels = "  log { size = <0x0 0x3000>; host-address = <0x0 0x90000000>;"
                           "   a { guest-address = <0x0 0x21000000>; access = \"rw\"; interrupt = <32>; };"
                           "   b { guest-address = <0x0 0x40000000>; access = \"r\"; interrupt = <33>; }; };\n"
                           "  cmd { size = <0x0 0x200000>;"
                           "   b { guest-address = <0x0 0x22000000>; access = \"rw\"; interrupt = <34>; };"
                           "   a { guest-address = <0x0 0x22000000>; access = \"rw\"; interrupt = <35>; }; };\n";

    tl_platform(&p);
    tl_kconf(&k);
    tl_system_with(cells, channels, &s);
    build_checked_maps(&s, &p, &k, &t);
    uint64_t ha = s.cells[0].hgatp;
    uint64_t hb = s.cells[1].hgatp;
    uint64_t hc = s.cells[2].hgatp;
    uint64_t cmd = s.channels[1].host; /* placed by the compiler: the lowest free 4 KiB-aligned range */
    assert_int_equal(cmd, 0x84000000ULL);
    for (uint64_t off = 0; off < 0x3000U; off += 0x1000U) {
        expect_map(&t, ha, 0x21000000ULL + off, 0x90000000ULL + off, GS_R | GS_W, 0);
        expect_map(&t, hb, 0x40000000ULL + off, 0x90000000ULL + off, GS_R, 0);
        expect_hole(&t, hc, 0x21000000ULL + off);
        expect_hole(&t, hc, 0x40000000ULL + off);
        expect_hole(&t, hc, 0x90000000ULL + off); /* no identity alias either */
    }
    expect_hole(&t, ha, 0x21003000ULL);
    expect_hole(&t, hb, 0x40003000ULL);
    expect_hole(&t, ha, 0x40000000ULL);
    expect_hole(&t, hb, 0x21000000ULL);
    /* 2 MiB, 2 MiB aligned on both sides: one megapage, rw, in both members */
    expect_map(&t, ha, 0x22000000ULL + 0x1234U, cmd + 0x1234U, GS_R | GS_W, 1);
    expect_map(&t, hb, 0x221fffffULL, cmd + 0x1fffffU, GS_R | GS_W, 1);
    expect_hole(&t, hc, 0x22000000ULL);
    expect_hole(&t, ha, 0x22200000ULL);
    /* the doorbell pages trap: no mapping */
    expect_hole(&t, ha, 0x20000000ULL);
    expect_hole(&t, hb, 0x20000000ULL);
    gs_free(&t);
    sysconf_free(&s);
    platform_free(&p);
    diag_reset();
}

/*
 * Every leaf of one cell's tables, enumerated from the root like the
 * hardware's walk (not through the generator's bookkeeping): returns how many
 * leaves map host pages inside [lo, hi), and fills at most max of their
 * (guest, host, size) triples.
 */
struct leaf {
    uint64_t guest;
    uint64_t host;
    uint64_t size;
};

static uint64_t pte_pa(uint64_t pte)
{
    return ((pte >> 10) & ((1ULL << 44) - 1U)) << 12;
}

static bool is_leaf(uint64_t pte)
{
    return (pte & (GS_PTE_R | GS_PTE_X)) != 0U;
}

/* Record a leaf that maps into [lo, hi). */
static void note_leaf(uint64_t guest, uint64_t pte, uint64_t span, uint64_t lo, uint64_t hi, struct leaf *out,
                      unsigned max, unsigned *n)
{
    uint64_t host = pte_pa(pte);

    if ((host < hi) && (lo < host + span)) {
        if (*n < max) {
            out[*n].guest = guest;
            out[*n].host = host;
            out[*n].size = span;
        }
        (*n)++;
    }
}

static unsigned leaves_into(const struct gs_tables *t, uint64_t hgatp, uint64_t lo, uint64_t hi, struct leaf *out,
                            unsigned max)
{
    unsigned n = 0;
    uint64_t root = (hgatp & ((1ULL << 44) - 1U)) << 12;

    for (uint64_t i2 = 0; i2 < 2048U; i2++) {
        uint64_t e2 = load(t, root + (i2 * 8U));
        if ((e2 & GS_PTE_V) == 0U) {
            continue;
        }
        if (is_leaf(e2)) {
            note_leaf(i2 << 30, e2, 1ULL << 30, lo, hi, out, max, &n);
            continue;
        }
        for (uint64_t i1 = 0; i1 < 512U; i1++) {
            uint64_t e1 = load(t, pte_pa(e2) + (i1 * 8U));
            if ((e1 & GS_PTE_V) == 0U) {
                continue;
            }
            if (is_leaf(e1)) {
                note_leaf((i2 << 30) | (i1 << 21), e1, 1ULL << 21, lo, hi, out, max, &n);
                continue;
            }
            for (uint64_t i0 = 0; i0 < 512U; i0++) {
                uint64_t e0 = load(t, pte_pa(e1) + (i0 * 8U));
                if ((e0 & GS_PTE_V) != 0U) {
                    note_leaf((i2 << 30) | (i1 << 21) | (i0 << 12), e0, 1ULL << 12, lo, hi, out, max, &n);
                }
            }
        }
    }
    return n;
}

#define AIA_CELL(name, harts, host, irqchip) \
    "  " name " { harts = <" harts ">; image = \"img4k\"; image-address = <0x0 0x80200000>;" \
    "   console = \"sbi\"; " irqchip \
    "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 " host ">;" \
    "     size = <0x0 0x1000000>; access = \"rwx\"; }; };\n"
#define AIA_IRQCHIP " interrupt-controller = \"aia\";"

/*
 * interrupt-controller = "aia" through the whole compiler: virtual hart v's
 * IMSIC page (0x28000000 + v * 4 KiB) is guest interrupt file 1 of its own
 * physical hart, read-write; the page after the cell's files, its APLIC
 * domain and the supervisor files are holes; and no cell's tables map any
 * page of the IMSIC region other than its own harts' guest files.
 */
/* verifies: IRQ-AIA-2 */
static void test_aia_guest_files(void **state)
{
    (void)state;
    struct platform p;
    struct kconf k;
    struct sys s;
    struct gs_tables t;
    struct leaf found[8];
    const char *cells = AIA_CELL("plic", "0", "0x88000000", "") AIA_CELL("a", "1 2", "0x89000000", AIA_IRQCHIP)
        AIA_CELL("b", "3", "0x8a000000", AIA_IRQCHIP);

    assert_true(tl_platform_file_try_amended(TL_PLATFORM_AIA, "", &p));
    tl_kconf(&k);
    tl_system(cells, &s);
    build_checked_maps(&s, &p, &k, &t);
    uint64_t hp = s.cells[0].hgatp;
    uint64_t ha = s.cells[1].hgatp;
    uint64_t hb = s.cells[2].hgatp;
    /* files are 8 KiB apart per hart (one S file, one guest file): guest file 1 of hart h at + h * 8 KiB + 4 KiB */
    expect_map(&t, ha, 0x28000000ULL, 0x28003000ULL, GS_R | GS_W, 0);
    expect_map(&t, ha, 0x28001000ULL, 0x28005000ULL, GS_R | GS_W, 0);
    expect_hole(&t, ha, 0x28002000ULL);
    expect_map(&t, hb, 0x28000000ULL, 0x28007000ULL, GS_R | GS_W, 0);
    expect_hole(&t, hb, 0x28001000ULL);
    expect_hole(&t, hp, 0x28000000ULL);
    expect_hole(&t, ha, 0xd000000ULL); /* the APLIC domain traps */
    expect_hole(&t, hb, 0xd000000ULL);
    /* the whole IMSIC region, S files and every guest file: each cell reaches its own harts' guest files only */
    assert_int_equal(leaves_into(&t, hp, p.imsic.base, range_end(&p.imsic), found, 8), 0);
    assert_int_equal(leaves_into(&t, ha, p.imsic.base, range_end(&p.imsic), found, 8), 2);
    assert_int_equal(found[0].host, 0x28003000ULL);
    assert_int_equal(found[0].size, 0x1000ULL);
    assert_int_equal(found[1].host, 0x28005000ULL);
    assert_int_equal(found[1].size, 0x1000ULL);
    assert_int_equal(leaves_into(&t, hb, p.imsic.base, range_end(&p.imsic), found, 8), 1);
    assert_int_equal(found[0].host, 0x28007000ULL);
    /* nor the APLIC: no cell maps a page of it */
    assert_int_equal(leaves_into(&t, ha, p.aplic.base, range_end(&p.aplic), found, 8), 0);
    assert_int_equal(leaves_into(&t, hb, p.aplic.base, range_end(&p.aplic), found, 8), 0);
    gs_free(&t);
    sysconf_free(&s);
    platform_free(&p);
    diag_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_mega_pages),
        cmocka_unit_test(test_giga_page),
        cmocka_unit_test(test_alignment_limits_page_size),
        cmocka_unit_test(test_mixed_sizes),
        cmocka_unit_test(test_upper_root_pages),
        cmocka_unit_test(test_roots_and_hgatp),
        cmocka_unit_test(test_device_identity_rw),
        cmocka_unit_test(test_conflicts),
        cmocka_unit_test(test_rejects_bad_requests),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_channel_mappings),
        cmocka_unit_test(test_aia_guest_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
