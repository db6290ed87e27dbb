/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host unit tests of the emulated APLIC domain (src/core/vaplic.c), linked
 * against a recording stand-in of the physical domain (aplic.h): what each
 * guest write does to the hardware, and what it must never do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bulkhead/aplic.h"
#include "bulkhead/vaplic.h"

/* ---- the physical domain, recorded (AIA spec 4.5) ---- */
#define SOURCES 97U
static uint32_t hw_sourcecfg[SOURCES];
static uint32_t hw_target[SOURCES];
static uint32_t hw_enabled[SOURCES];
static uint32_t hw_retriggered[SOURCES];
static uint32_t hw_cleared[SOURCES];
static uint32_t hw_pending_words[4];
static uint32_t hw_input_words[4];
static uint32_t hw_writes;

void aplic_enable_domain(void)
{
    hw_writes++;
}

void aplic_set_sourcecfg(uint32_t source, uint32_t mode)
{
    assert_true((source > 0U) && (source < SOURCES));
    hw_sourcecfg[source] = mode;
    hw_writes++;
}

uint32_t aplic_sourcecfg(uint32_t source)
{
    return hw_sourcecfg[source];
}

void aplic_set_target(uint32_t source, uint32_t target)
{
    assert_true((source > 0U) && (source < SOURCES));
    /* the hardware keeps no target for an inactive source (4.5.16) */
    assert_int_not_equal(hw_sourcecfg[source], APLIC_SM_INACTIVE);
    hw_target[source] = target;
    hw_writes++;
}

uint32_t aplic_target(uint32_t source)
{
    return hw_target[source];
}

void aplic_set_enabled(uint32_t source, uint32_t on)
{
    assert_true((source > 0U) && (source < SOURCES));
    hw_enabled[source] = on;
    hw_writes++;
}

void aplic_retrigger(uint32_t source)
{
    assert_true((source > 0U) && (source < SOURCES));
    hw_retriggered[source]++;
    hw_writes++;
}

void aplic_clear_pending(uint32_t source)
{
    assert_true((source > 0U) && (source < SOURCES));
    hw_cleared[source]++;
    hw_writes++;
}

uint32_t aplic_pending_word(uint32_t word)
{
    return hw_pending_words[word];
}

uint32_t aplic_input_word(uint32_t word)
{
    return hw_input_words[word];
}

/* ---- the cell: virtual harts 0, 1 on physical harts 5, 6, guest file 1 and 2; sources 8 and 40 ---- */
static const uint32_t phys_harts[] = {5, 6};
static const uint32_t files[] = {1, 2};
static const uint32_t owned[] = {8, 40};
static struct vaplic v;

#define SOURCECFG(s) (VAPLIC_SOURCECFG + (((s)-1U) * 4U))
#define TARGET(s)    (VAPLIC_TARGET + (((s)-1U) * 4U))

static int setup(void **state)
{
    (void)state;
    memset(hw_sourcecfg, 0xff, sizeof(hw_sourcecfg)); /* whatever the hypervisor left there */
    memset(hw_target, 0, sizeof(hw_target));
    memset(hw_enabled, 0, sizeof(hw_enabled));
    memset(hw_retriggered, 0, sizeof(hw_retriggered));
    memset(hw_cleared, 0, sizeof(hw_cleared));
    memset(hw_pending_words, 0, sizeof(hw_pending_words));
    memset(hw_input_words, 0, sizeof(hw_input_words));
    hw_sourcecfg[8] = 6U;
    hw_sourcecfg[40] = 6U;
    hw_enabled[8] = 1U;
    vaplic_init(&v, 2, phys_harts, files, owned, 2, NULL, 0U);
    hw_writes = 0;
    return 0;
}

/* The same cell with emulated sources: its UART's interrupt (source 10) and a channel doorbell (20). */
static const uint32_t emulated[] = {10, 20};
#define UART     0U /* index in emulated[] */
#define DOORBELL 1U

static int setup_uart(void **state)
{
    (void)setup(state);
    vaplic_init(&v, 2, phys_harts, files, owned, 2, emulated, 2U);
    hw_writes = 0;
    return 0;
}

static void w(uint32_t offset, uint32_t value, uint32_t denied)
{
    assert_int_equal(vaplic_write(&v, offset, value).denied, denied);
}

static uint32_t r(uint32_t offset)
{
    return vaplic_read(&v, offset).value;
}

/* verifies: IRQ-AIA-3 */
static void test_boot_state_inactive(void **state)
{
    (void)state;
    assert_int_equal(hw_sourcecfg[8], APLIC_SM_INACTIVE);
    assert_int_equal(hw_sourcecfg[40], APLIC_SM_INACTIVE);
    assert_int_equal(hw_enabled[8], 0);
    assert_int_equal(r(VAPLIC_DOMAINCFG), 0x80000004U); /* 0x80 in 31:24, DM = MSI, IE off */
    assert_int_equal(r(SOURCECFG(8)), 0);
}

/* verifies: IRQ-AIA-3 */
static void test_linux_setup_sequence(void **state)
{
    (void)state;
    /* aplic_init_hw_irqs: clrie all, every sourcecfg 0 and target 1, domaincfg 0: nothing refused */
    for (uint32_t k = 0; k <= 96U; k += 32U) {
        w(VAPLIC_CLRIE + ((k / 32U) * 4U), 0xffffffffU, 0);
    }
    for (uint32_t s = 1; s <= 96U; s++) {
        w(SOURCECFG(s), 0, 0);
        w(TARGET(s), 1, 0);
    }
    w(VAPLIC_DOMAINCFG, 0, 0);
    /* aplic_init_hw_global: read-modify-write with the check Linux makes */
    uint32_t val = r(VAPLIC_DOMAINCFG) | 0x104U;
    w(VAPLIC_DOMAINCFG, val, 0);
    assert_int_equal(r(VAPLIC_DOMAINCFG), val);
    /* set_type level-high, write_msg: virtual hart 1, EIID 33, then unmask */
    w(SOURCECFG(8), 6, 0);
    assert_int_equal(hw_sourcecfg[8], 6);
    w(TARGET(8), (1U << 18) | 33U, 0);
    assert_int_equal(hw_target[8], aplic_msi_target(6, 2, 33));
    assert_int_equal(r(TARGET(8)), (1U << 18) | 33U);
    w(VAPLIC_SETIENUM, 8, 0);
    assert_int_equal(hw_enabled[8], 1);
    assert_int_equal(r(VAPLIC_SETIE), 1U << 8);
    /* each level interrupt's end: setipnum_le, carried over */
    w(VAPLIC_SETIPNUM_LE, 8, 0);
    assert_int_equal(hw_retriggered[8], 1);
    /* the other source stayed as it was */
    assert_int_equal(hw_sourcecfg[40], APLIC_SM_INACTIVE);
    assert_int_equal(hw_enabled[40], 0);
}

/* verifies: IRQ-AIA-3 */
static void test_foreign_sources_refused(void **state)
{
    (void)state;
    w(SOURCECFG(10), 6, 1); /* activating the UART's source */
    w(VAPLIC_SETIENUM, 10, 1);
    w(VAPLIC_SETIPNUM, 10, 1);
    w(VAPLIC_SETIPNUM_LE, 10, 1);
    w(VAPLIC_SETIPNUM_BE, 0x0a000000U, 1);
    w(VAPLIC_SETIE, 1U << 10, 1);
    w(VAPLIC_SETIP, 1U << 10, 1);
    w(VAPLIC_SETIENUM, 1023, 1);
    w(VAPLIC_SETIENUM, 5000, 1);
    /* clears of a foreign source change nothing and are not counted (inactive in this domain) */
    w(VAPLIC_CLRIENUM, 10, 0);
    w(VAPLIC_CLRIPNUM, 10, 0);
    w(VAPLIC_CLRIE, 1U << 10, 0);
    w(TARGET(10), 5, 0);
    assert_int_equal(hw_writes, 0);
    assert_int_equal(r(SOURCECFG(10)), 0);
    assert_int_equal(r(TARGET(10)), 0);
    /* an own source aimed past the cell's harts: refused, the hardware keeps its target */
    w(SOURCECFG(40), 4, 0);
    w(TARGET(40), (0U << 18) | 7U, 0);
    uint32_t before = hw_target[40];
    w(TARGET(40), (2U << 18) | 7U, 1);
    assert_int_equal(hw_target[40], before);
    assert_int_equal(hw_target[40], aplic_msi_target(5, 1, 7));
    /* a guest index in the write is not the guest's to choose */
    w(TARGET(40), (1U << 18) | (3U << 12) | 9U, 0);
    assert_int_equal(hw_target[40], aplic_msi_target(6, 2, 9));
}

/* verifies: IRQ-AIA-3 */
static void test_reads_show_own_bits_only(void **state)
{
    (void)state;
    hw_pending_words[0] = 0xffffffffU;
    hw_input_words[1] = 0xffffffffU;
    assert_int_equal(r(VAPLIC_SETIP), 0); /* 8 inactive yet */
    w(SOURCECFG(8), 6, 0);
    w(SOURCECFG(40), 6, 0);
    assert_int_equal(r(VAPLIC_SETIP), 1U << 8);
    assert_int_equal(r(VAPLIC_IN_CLRIP + 4U), 1U << 8); /* 40 = word 1, bit 8 */
    assert_int_equal(r(VAPLIC_SETIP + 4U), 0);
}

/* verifies: IRQ-AIA-3 */
static void test_domain_enable_and_inactive(void **state)
{
    (void)state;
    w(SOURCECFG(8), 6, 0);
    w(VAPLIC_SETIENUM, 8, 0);
    assert_int_equal(hw_enabled[8], 0); /* domaincfg.IE still off */
    w(VAPLIC_DOMAINCFG, 0x100U, 0);
    assert_int_equal(hw_enabled[8], 1);
    w(VAPLIC_DOMAINCFG, 0, 0);
    assert_int_equal(hw_enabled[8], 0);
    w(VAPLIC_DOMAINCFG, 0x100U, 0);
    /* delegation is not this domain's: D set = inactive; reserved modes 2, 3 likewise */
    w(SOURCECFG(8), (1U << 10) | 6U, 0);
    assert_int_equal(r(SOURCECFG(8)), 0);
    assert_int_equal(hw_sourcecfg[8], APLIC_SM_INACTIVE);
    assert_int_equal(r(VAPLIC_SETIE), 0); /* ie of an inactive source reads zero */
    w(SOURCECFG(8), 3, 0);
    assert_int_equal(r(SOURCECFG(8)), 0);
    w(SOURCECFG(8), 5, 0);
    assert_int_equal(r(SOURCECFG(8)), 5);
    assert_int_equal(hw_enabled[8], 0); /* enable was lost with the inactive mode */
    w(VAPLIC_CLRIPNUM, 8, 0);
    assert_int_equal(hw_cleared[8], 1);
    /* genmsi and the msiaddrcfg registers are not emulated */
    w(0x3000U, (1U << 18) | 5U, 0);
    w(0x1bc8U, 0x12345U, 0);
    assert_int_equal(r(0x3000U), 0);
    assert_int_equal(r(0x1bc8U), 0);
}

/* After a write: whether the UART's source sends its MSI now. */
static uint32_t wmsi(uint32_t offset, uint32_t value)
{
    struct vaplic_result res = vaplic_write(&v, offset, value);
    assert_int_equal(res.denied, 0);
    assert_int_equal(vaplic_vsource_take(&v, DOORBELL), 0);
    return vaplic_vsource_take(&v, UART);
}

/* The UART's interrupt output is `level`: whether its source sends its MSI now. */
static uint32_t line(uint32_t level)
{
    vaplic_vsource_line(&v, UART, level);
    return vaplic_vsource_take(&v, UART);
}

static void assert_msi_to(uint32_t i, uint32_t hart, uint32_t file, uint32_t eiid)
{
    uint32_t h = 0;
    uint32_t f = 0;
    uint32_t e = 0;
    vaplic_vsource_msi(&v, i, &h, &f, &e);
    assert_int_equal(h, hart);
    assert_int_equal(f, file);
    assert_int_equal(e, eiid);
}

/* verifies: IRQ-AIA-6 */
static void test_emulated_uart_source(void **state)
{
    (void)state;
    /* inactive at boot: its input does nothing and it reads zero */
    assert_int_equal(line(1U), 0);
    assert_int_equal(r(SOURCECFG(10)), 0);
    /* Linux's setup: domain on, level-high, aimed at virtual hart 1 identity 5, then enabled */
    assert_int_equal(wmsi(VAPLIC_DOMAINCFG, 0x100U), 0);
    assert_int_equal(wmsi(SOURCECFG(10), 6U), 0); /* pending (its input is high) but not enabled */
    assert_int_equal(r(VAPLIC_SETIP) & (1U << 10), 1U << 10);
    assert_int_equal(wmsi(TARGET(10), (1U << 18) | 5U), 0);
    assert_int_equal(r(TARGET(10)), (1U << 18) | 5U);
    assert_int_equal(wmsi(VAPLIC_SETIENUM, 10U), 1);
    assert_msi_to(UART, 6U, 2U, 5U);
    assert_int_equal(r(VAPLIC_SETIP) & (1U << 10), 0); /* forwarding cleared it (4.9.3) */
    assert_int_equal(r(VAPLIC_IN_CLRIP) & (1U << 10), 1U << 10);
    assert_int_equal(r(VAPLIC_SETIE) & (1U << 10), 1U << 10);
    /* Linux's end of a level interrupt: setipnum_le pends it again only while the input is high (4.7) */
    assert_int_equal(wmsi(VAPLIC_SETIPNUM_LE, 10U), 1);
    assert_int_equal(line(1U), 0); /* no edge, no new MSI */
    assert_int_equal(line(0U), 0);
    assert_int_equal(wmsi(VAPLIC_SETIPNUM_LE, 10U), 0);
    assert_int_equal(line(1U), 1);
    /* disabled, or the domain off: pending waits; enabling sends it */
    assert_int_equal(wmsi(VAPLIC_CLRIENUM, 10U), 0);
    assert_int_equal(line(0U), 0);
    assert_int_equal(line(1U), 0);
    assert_int_equal(wmsi(VAPLIC_SETIENUM, 10U), 1);
    assert_int_equal(wmsi(VAPLIC_DOMAINCFG, 0U), 0);
    assert_int_equal(line(0U), 0);
    assert_int_equal(line(1U), 0);
    assert_int_equal(wmsi(VAPLIC_DOMAINCFG, 0x100U), 1);
    /* never past the cell's harts, and nothing of it reaches the physical APLIC */
    w(TARGET(10), (2U << 18) | 5U, 1);
    assert_int_equal(r(TARGET(10)), (1U << 18) | 5U);
    assert_int_equal(hw_writes, 0);
    /* inactive again: its input does nothing, it reads zero */
    assert_int_equal(wmsi(SOURCECFG(10), 0U), 0);
    assert_int_equal(line(0U), 0);
    assert_int_equal(line(1U), 0);
    assert_int_equal(r(TARGET(10)), 0);
    assert_int_equal(r(VAPLIC_SETIE) & (1U << 10), 0);
}

/* verifies: IRQ-AIA-6 */
static void test_emulated_edge_source(void **state)
{
    (void)state;
    assert_int_equal(wmsi(VAPLIC_DOMAINCFG, 0x100U), 0);
    assert_int_equal(wmsi(SOURCECFG(10), 4U), 0); /* edge, rising */
    assert_int_equal(wmsi(TARGET(10), 7U), 0);
    assert_int_equal(wmsi(VAPLIC_SETIENUM, 10U), 0); /* input low: nothing pending */
    assert_int_equal(line(1U), 1);
    assert_msi_to(UART, 5U, 1U, 7U);
    assert_int_equal(line(1U), 0);
    assert_int_equal(line(0U), 0);
    assert_int_equal(wmsi(VAPLIC_SETIPNUM, 10U), 1); /* an edge source pends on a write whatever its input */
}

/* verifies: IRQ-AIA-6 */
static void test_doorbell_source(void **state)
{
    (void)state;
    assert_int_equal(vaplic_vsource_ring(&v, DOORBELL), 0);
    assert_int_equal(vaplic_vsource_take(&v, DOORBELL), 0); /* inactive: the ring is lost, as on a wire */
    assert_int_equal(wmsi(VAPLIC_DOMAINCFG, 0x100U), 0);
    assert_int_equal(wmsi(SOURCECFG(20), 4U), 0); /* edge, rising: how the DT describes it */
    assert_int_equal(wmsi(TARGET(20), (1U << 18) | 9U), 0);
    assert_int_equal(wmsi(VAPLIC_SETIENUM, 20U), 0);
    assert_int_equal(vaplic_vsource_ring(&v, DOORBELL), 0);
    assert_int_equal(vaplic_vsource_take(&v, DOORBELL), 1);
    assert_msi_to(DOORBELL, 6U, 2U, 9U);
    assert_int_equal(vaplic_vsource_take(&v, UART), 0); /* the other emulated source is untouched */
    /* disabled (a UIO driver masks it in its handler): rings wait, the second merges into the first */
    assert_int_equal(wmsi(VAPLIC_CLRIENUM, 20U), 0);
    assert_int_equal(vaplic_vsource_ring(&v, DOORBELL), 0);
    assert_int_equal(vaplic_vsource_ring(&v, DOORBELL), 1);
    assert_int_equal(vaplic_vsource_take(&v, DOORBELL), 0);
    assert_int_equal(r(VAPLIC_SETIP) & (1U << 20), 1U << 20);
    vaplic_write(&v, VAPLIC_SETIENUM, 20U);
    assert_int_equal(vaplic_vsource_take(&v, DOORBELL), 1);
    assert_int_equal(r(VAPLIC_SETIP) & (1U << 20), 0);
    assert_int_equal(hw_writes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_boot_state_inactive, setup),
        cmocka_unit_test_setup(test_linux_setup_sequence, setup),
        cmocka_unit_test_setup(test_foreign_sources_refused, setup),
        cmocka_unit_test_setup(test_reads_show_own_bits_only, setup),
        cmocka_unit_test_setup(test_domain_enable_and_inactive, setup),
        cmocka_unit_test_setup(test_emulated_uart_source, setup_uart),
        cmocka_unit_test_setup(test_emulated_edge_source, setup_uart),
        cmocka_unit_test_setup(test_doorbell_source, setup_uart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
