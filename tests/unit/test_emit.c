/* SPDX-License-Identifier: Apache-2.0 */
/*
 * From a validated model to files: hypervisor layout, the cells' G-stage
 * tables, the generated sources and reports, and the all-or-nothing writer.
 */
#define _POSIX_C_SOURCE 200809L
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>
#include <unistd.h>

#include "cellmap.h"
#include "diag.h"
#include "emit.h"
#include "layout.h"
#include "outdir.h"
#include "platform.h"
#include "sysconf.h"
#include "util.h"

static struct platform plat;
static struct kconf kc;
static struct sys sys;
static struct gs_tables tables;
static struct gs_stats stats[4];
static struct hyp_layout lay;
static struct emit_ctx ctx;

#define CELLS \
    "  rtos { harts = <0>; image = \"img4k\"; image-address = <0x0 0x80200000>; fault-policy = \"restart\";" \
    "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;" \
    "     size = <0x0 0x8000000>; access = \"rwx\"; }; };\n" \
    "  linux-1 { harts = <3 1>; image = \"img8k\"; image-address = <0x0 0x80200000>; console = \"sbi\";" \
    "   devices = \"virtio_mmio@10008000\", \"rtc@101000\"; bootargs = \"quiet \\\"x\\\"\";" \
    "   dma = \"unconfined\";" \
    "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0xc0000000>;" \
    "     size = <0x0 0x40000000>; access = \"rwx\"; };" \
    "   memory@10000000 { guest-address = <0x0 0x10000000>; host-address = <0x0 0x90001000>;" \
    "     size = <0x0 0x1000>; access = \"r\"; }; };\n"

static int setup(void **state)
{
    (void)state;
    tl_platform(&plat);
    tl_kconf(&kc);
    tl_system(CELLS, &sys);
    tl_validate_all(&sys, &plat, &kc);
    tl_expect_no_diag();
    layout_code(&sys, &plat, &kc, &lay);
    assert_true(cellmap_build(&sys, &plat, sys.hyp.base + lay.code_size, &tables, stats));
    layout_compute(&sys, sys.hyp.base, tables.num_pages, &lay);
    ctx = (struct emit_ctx){&sys, &plat, &kc, &tables, stats, &lay, "/abs/out"};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    layout_free(&lay);
    gs_free(&tables);
    sysconf_free(&sys);
    platform_free(&plat);
    diag_reset();
    return 0;
}

static char *emitted(void (*fn)(const struct emit_ctx *, struct sbuf *))
{
    struct sbuf b;
    sbuf_init(&b);
    fn(&ctx, &b);
    return b.data;
}

static void expect_has(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL) {
        fail_msg("missing \"%s\" in:\n%s", needle, text);
    }
}

/* verifies: CFG-7, CFG-9 */
static void test_layout(void **state)
{
    (void)state;
    assert_int_equal(lay.code_base, 0x80200000ULL);
    assert_int_equal(lay.gstage_base, 0x80400000ULL);
    assert_int_equal(lay.gstage_size, tables.num_pages * 4096U);
    assert_int_equal(lay.images_base, lay.gstage_base + lay.gstage_size);
    assert_int_equal(lay.image_at[0], lay.images_base);
    assert_int_equal(lay.dtb_at[0], lay.image_at[0] + 4096U);
    assert_int_equal(lay.image_at[1], align_up(lay.dtb_at[0] + sys.cells[0].dtb_size, 4096U));
    assert_int_equal(lay.dtb_at[1], lay.image_at[1] + 8192U);
    assert_int_equal(lay.end, lay.dtb_at[1] + sys.cells[1].dtb_size);
}

/* verifies: CFG-9 */
static void test_cell_tables(void **state)
{
    (void)state;
    /* rtos: 128 MiB at 2 MiB-aligned host -> 64 x 2 MiB */
    assert_int_equal(stats[0].mega, 64);
    assert_int_equal(stats[0].giga, 0);
    /* linux: 1 GiB at 1 GiB-aligned host -> 1 GiB page; 1 RAM page + 2 device pages,
     * and (direct interrupt mode: console sbi with devices) one PLIC context page per vhart */
    assert_int_equal(stats[1].giga, 1);
    assert_int_equal(stats[1].pages, 3U + sys.cells[1].num_harts);
    assert_int_equal(sys.cells[0].root_pa, 0x80400000ULL);
    assert_int_equal(sys.cells[1].root_pa, 0x80404000ULL);
    assert_int_equal(sys.cells[1].hgatp, (8ULL << 60) | (2ULL << 44) | (0x80404000ULL >> 12));
    /* linux root: entry 2 (1 GiB at 0x80000000) is a leaf, entry 0 a table for MMIO and low RAM */
    uint64_t *root = tables.pages[4];
    assert_int_equal(root[2] & 0xffU, GS_PTE_V | GS_PTE_R | GS_PTE_W | GS_PTE_X | GS_PTE_U | GS_PTE_A | GS_PTE_D);
    assert_int_equal(root[2] >> 10, 0xc0000000ULL >> 12);
    assert_int_equal(root[0] & 0x3ffU, GS_PTE_V);
}

/* verifies: CFG-9 */
static void test_config_h(void **state)
{
    (void)state;
    char *t = emitted(emit_config_h);
    expect_has(t, "#ifndef BH_SYSTEM_NAME");
    expect_has(t, "#define BH_SYSTEM_NAME       \"test\"");
    expect_has(t, "#define BH_NUM_CELLS         2");
    expect_has(t, "#define BH_NUM_HARTS         4");
    expect_has(t, "#define BH_MAX_CELL_HARTS    8");
    /* hart 2 is in no cell: the console's receive interrupt costs no cell a cycle there */
    expect_has(t, "#define BH_CONSOLE_HART      2");
    expect_has(t, "#define BH_HYP_BASE          0x80200000");
    expect_has(t, "#define BH_GSTAGE_BASE       0x80400000");
    expect_has(t, "#define BH_RAM_SIZE          0x80000000");
    expect_has(t, "#define BH_UART_IRQ          10");
    expect_has(t, "#define BH_PLIC_NDEV         95");
    assert_null(strstr(t, "ULL")); /* the linker script is preprocessed as C, parsed by ld */
    free(t);
}

/* verifies: CFG-9 */
static void test_cells_c(void **state)
{
    (void)state;
    char *t = emitted(emit_cells_c);
    expect_has(t, "#include \"bulkhead/cell_config.h\"");
    expect_has(t, "extern const uint8_t bh_image_linux_1[0x2000];");
    char dtb_decl[64];
    snprintf(dtb_decl, sizeof dtb_decl, "extern const uint8_t bh_dtb_linux_1[0x%zx];", sys.cells[1].dtb_size);
    expect_has(t, dtb_decl);
    expect_has(t, ".name = \"linux-1\"");
    expect_has(t, ".harts = { [0] = 3U, [1] = 1U }");
    expect_has(t, ".access = BH_ACCESS_R | BH_ACCESS_W | BH_ACCESS_X }");
    expect_has(t, "[1] = { .guest_base = 0x10000000ULL, .host_base = 0x90001000ULL, .size = 0x1000ULL, "
                  ".access = BH_ACCESS_R }, /* memory@10000000 */");
    expect_has(t, "[0] = { .base = 0x10008000ULL, .size = 0x1000ULL }, /* virtio_mmio@10008000 */");
    expect_has(t, "[1] = { .base = 0x101000ULL, .size = 0x1000ULL }, /* rtc@101000 */");
    assert_null(strstr(t, "[];")); /* every extern array sized (MISRA 8.11) */
    assert_null(strstr(t, "{ }")); /* empty initializers are a GNU extension */
    expect_has(t, ".irqs = { [0] = 8U, [1] = 11U }");
    expect_has(t, ".image = bh_image_linux_1,");
    expect_has(t, ".image_size = 0x2000ULL,");
    expect_has(t, ".console_base = 0x0ULL, /* SBI console only */");
    expect_has(t, ".console_base = 0x10000000ULL, /* emulated NS16550 */");
    expect_has(t, ".console_irq = 10U,");
    expect_has(t, ".vplic_base = 0xc000000ULL,");
    expect_has(t, ".fault_policy = BH_FAULT_RESTART,");
    expect_has(t, ".dma_unconfined = 0U,\n"); /* rtos */
    expect_has(t, ".dma_unconfined = 1U, /* dma = \"unconfined\": its devices can DMA anywhere */");
    expect_has(t, ".hgatp = 0x8000200000080404ULL");
    /* each hart with its ACLINT SSWI register: the hypervisor's IPIs need no firmware */
    expect_has(t, "[1] = { .cell = 1U, .vhart = 1U, .sswi = 0x2f00004ULL, .vgein = 0U }, /* linux-1 */");
    expect_has(t, "[2] = { .cell = BH_NO_CELL, .vhart = 0U, .sswi = 0x2f00008ULL },");
    expect_has(t, "[3] = { .cell = 1U, .vhart = 0U, .sswi = 0x2f0000cULL, .vgein = 0U }, /* linux-1 */");
    /* one stack slot per hart that runs something: 0 and 1, 3, and console hart 2 */
    expect_has(t, "const uint16_t bh_hart_stack_slot[BH_NUM_HARTS] = {\n    [0] = 0U,\n    [1] = 1U,\n"
                  "    [2] = 2U,\n    [3] = 3U,\n};");
    free(t);
}

/* verifies: CFG-9 */
static void test_gstage_c_and_images_s(void **state)
{
    (void)state;
    char *t = emitted(emit_gstage_c);
    expect_has(t, "__attribute__((section(\".gstage\"), aligned(16384)))");
    expect_has(t, "const uint64_t bh_gstage_tables[BH_GSTAGE_PAGES][512]");
    expect_has(t, "[2] = 0x00000000300000dfULL,");        /* linux: 1 GiB leaf at host 0xc0000000 */
    expect_has(t, "#include \"bulkhead/cell_config.h\""); /* declares bh_gstage_tables (MISRA 8.4) */
    /* root pages 1..3 of cell 0 hold no valid entry: a comment, no `[1] = { }` row */
    expect_has(t, "    /* [1]: 0x80401000: cell 0 root (16 KiB, GPA[40:30]), no valid entry */\n");
    assert_null(strstr(t, "    [1] = {"));
    assert_null(strstr(t, "{ /* 0x80401000"));
    free(t);
    t = emitted(emit_images_s);
    expect_has(t, ".section .cellimages, \"a\"");
    expect_has(t, "bh_image_linux_1:\n\t.incbin \"" BH_SOURCE_ROOT "/tests/configs/images/img8k.bin\"");
    expect_has(t, "bh_dtb_linux_1:\n\t.incbin \"/abs/out/cells/linux-1.dtb\"");
    free(t);
}

/* verifies: CFG-9 */
static void test_json_and_memmap(void **state)
{
    (void)state;
    char *t = emitted(emit_json);
    expect_has(t, "\"system\": \"test\"");
    expect_has(t, "\"console_switch_key\": 20");
    expect_has(t, "\"harts\": [3, 1]");
    expect_has(t, "\"bootargs\": \"quiet \\\"x\\\"\"");
    expect_has(t, "\"devices\": [\"virtio_mmio@10008000\", \"rtc@101000\"]");
    expect_has(t, "\"irqs\": [8, 11]");
    expect_has(t, "\"console\": \"sbi\"");
    expect_has(t, "\"fault_policy\": \"restart\"");
    expect_has(t, "{\"guest\": 268435456, \"host\": 2415923200, \"size\": 4096, \"access\": \"r\"}");
    expect_has(t, "\"dma\": null,"); /* rtos */
    expect_has(t, "\"dma\": \"unconfined\",");
    free(t);
    t = emitted(emit_memmap);
    expect_has(t, "0x0080000000..0x00801fffff  2 MiB        firmware (/reserved-memory/firmware@80000000)");
    expect_has(t, "cell 1 'linux-1' memory@80000000: guest 0x80000000..0xbfffffff rwx");
    expect_has(t, "/soc/virtio_mmio@10008000    cell 1 'linux-1', irq 0x8, bus master (DMA)\n");
    expect_has(t, "/soc/rtc@101000              cell 1 'linux-1', irq 0xb\n"); /* no DMA */
    expect_has(t, "\n\nWARNING: cell 1 'linux-1': virtio_mmio@10008000 can DMA anywhere in physical memory, other "
                  "cells, the hypervisor and the firmware included (dma = \"unconfined\", no IOMMU)\n\n");
    assert_null(strstr(t, "WARNING: cell 1 'linux-1': rtc@101000"));
    expect_has(t, "fault policy stop, hgatp 0x8000200000080404, dma unconfined\n");
    expect_has(t, "virtio_mmio@10008000 (passed through 1:1, rw-), irq 0x8, bus master: can DMA anywhere "
                  "(dma = \"unconfined\")\n");
    expect_has(t, "rtc@101000 (passed through 1:1, rw-), irq 0xb\n");
    expect_has(t, "free");
    expect_has(t, "G-stage leaves: 1 x 1 GiB, 0 x 2 MiB, 5 x 4 KiB");
    expect_has(t, "|HH..0000");
    free(t);
}

/* verifies: CFG-8, CFG-9 */
static void test_outdir(void **state)
{
    (void)state;
    char dir[] = "/tmp/bhconfig-out-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *out = xasprintf("%s/new/out", dir);
    struct outfile files[] = {{"a.txt", "one\n", 4}, {"gen/b.c", "two\n", 4}};
    assert_true(outdir_commit(out, files, 2));
    char *a = xasprintf("%s/a.txt", out);
    char *b = xasprintf("%s/gen/b.c", out);
    struct stat st;
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_size, 4);
    /* every file is replaced, equal content included (fresh timestamps for make) */
    struct utimbuf old = {1000, 1000};
    assert_int_equal(utime(a, &old), 0);
    assert_int_equal(utime(b, &old), 0);
    struct outfile again[] = {{"a.txt", "one\n", 4}, {"gen/b.c", "three\n", 6}};
    assert_true(outdir_commit(out, again, 2));
    assert_int_equal(stat(a, &st), 0);
    assert_true(st.st_mtime > 1000);
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_size, 6);
    /* nothing but our files: the temporary directory is gone */
    char *cmd = xasprintf("test $(find %s | wc -l) -eq 4", out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    /* a file where a directory should be: failure, nothing staged left behind */
    diag_reset();
    struct outfile clash[] = {{"a.txt/x", "x", 1}};
    assert_false(outdir_commit(out, clash, 1));
    assert_true(diag_count() > 0);
    cmd = xasprintf("test $(find %s | wc -l) -eq 4", out);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    cmd = xasprintf("rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(a);
    free(b);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_cell_tables),
        cmocka_unit_test(test_config_h),
        cmocka_unit_test(test_cells_c),
        cmocka_unit_test(test_gstage_c_and_images_s),
        cmocka_unit_test(test_json_and_memmap),
        cmocka_unit_test(test_outdir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
