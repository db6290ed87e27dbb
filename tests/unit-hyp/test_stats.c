/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host unit test of the exit statistics (src/core/stats.c) against the ABI
 * they are published under. A guest reads counter N with the Bulkhead SBI
 * extension (N = enum bh_stat, explicit values in src/include/bulkhead/abi.h);
 * a person reads the names the hypervisor prints; docs/stats.md says which
 * name is which N. Renumbering a counter, adding one without a printed name
 * or leaving it out of the documented table fails here, instead of silently
 * changing what a guest compiled against the old numbers reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bulkhead/abi.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/hart.h"
#include "bulkhead/stats.h"
#include "bulkhead/stats_report.h"

#define DOC_PATH     BH_SOURCE_ROOT "/docs/stats.md"
#define MAX_ROWS     64U
#define NAME_MAX_LEN 32U

/* ---- what stats.c links against in the hypervisor */

const struct bh_cell_config bh_cells[BH_NUM_CELLS] = {[0] = {.name = "c0", .num_harts = 1U}};
const struct bh_hart_config bh_harts[BH_NUM_HARTS] = {[0] = {.cell = 0U, .vhart = 0U}};
struct bh_hart bh_hart_state[BH_NUM_HARTS];

static char printed[1024];
static unsigned printed_lines;

void bh_console_write_line(const char *tag, const char *text, size_t len);
void bh_console_write_line(const char *tag, const char *text, size_t len)
{
    assert_string_equal(tag, "bulkhead");
    assert_true(len < sizeof(printed));
    memcpy(printed, text, len);
    printed[len] = '\0';
    printed_lines++;
}

/* ---- docs/stats.md's table: | `name` | index | what | */

struct doc_row {
    char name[NAME_MAX_LEN];
    unsigned index;
};

static unsigned read_doc_rows(struct doc_row *rows)
{
    FILE *f = fopen(DOC_PATH, "r");
    char line[512];
    unsigned n = 0;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        struct doc_row r;
        if (sscanf(line, "| `%31[a-z_]` | %u |", r.name, &r.index) == 2) {
            assert_true(n < MAX_ROWS);
            rows[n] = r;
            n++;
        }
    }
    fclose(f);
    return n;
}

/* The value printed as " name=<value>" in the stats line, or -1 if absent. */
static long printed_value(const char *name)
{
    char key[NAME_MAX_LEN + 3U];
    const char *p;

    (void)snprintf(key, sizeof(key), " %s=", name);
    p = strstr(printed, key);
    return (p == NULL) ? -1L : strtol(p + strlen(key), NULL, 10);
}

static unsigned printed_causes(void)
{
    unsigned n = 0;
    const char *p = strstr(printed, " exits=");

    assert_non_null(p);
    for (p++; (p = strchr(p, ' ')) != NULL; p++) {
        n++;
    }
    return n;
}

/* verifies: IRQ-3, SBI-STAT-1 */
static void test_doc_table_lists_every_counter_once(void **state)
{
    struct doc_row rows[MAX_ROWS];
    unsigned seen[BH_STAT_COUNT] = {0};
    unsigned n = read_doc_rows(rows);

    (void)state;
    assert_int_equal(n, BH_STAT_COUNT);
    for (unsigned i = 0; i < n; i++) {
        assert_true(rows[i].index < (unsigned)BH_STAT_COUNT);
        seen[rows[i].index]++;
    }
    for (unsigned s = 0; s < (unsigned)BH_STAT_COUNT; s++) {
        assert_int_equal(seen[s], 1);
    }
}

/* Counter s holds s + 1, so each printed value says which index it came from. */
/* verifies: IRQ-3, SBI-STAT-1 */
static void test_printed_names_are_the_documented_indices(void **state)
{
    struct doc_row rows[MAX_ROWS];
    unsigned n = read_doc_rows(rows);

    (void)state;
    for (unsigned s = 0; s < (unsigned)BH_STAT_COUNT; s++) {
        bh_stat_add(&bh_hart_state[0].stats, (enum bh_stat)s, (uint64_t)s + 1U);
    }
    printed_lines = 0;
    bh_stats_print_cell(0U, "request");
    assert_int_equal(printed_lines, 1);
    assert_non_null(strstr(printed, "stats request cell=c0 hart=0 vhart=0 exits=0 "));
    assert_int_equal(printed_causes(), BH_STAT_COUNT);
    for (unsigned i = 0; i < n; i++) {
        long v = printed_value(rows[i].name);
        if (v != (long)rows[i].index + 1L) {
            fail_msg("docs/stats.md gives `%s` index %u, but the hypervisor prints that name for index %ld",
                     rows[i].name, rows[i].index, v - 1L);
        }
        /* What a guest's get_counter(vhart, index) returns. */
        assert_int_equal(bh_stat_get(0U, (enum bh_stat)rows[i].index), rows[i].index + 1U);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_table_lists_every_counter_once),
        cmocka_unit_test(test_printed_names_are_the_documented_indices),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
