/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest device trees (tools/bhconfig/guestdt.c), decoded with libfdt and
 * compared with what Linux 6.12 and RT-Thread need (docs/cells/linux.md,
 * docs/cells/rtthread.md) and with what the cell owns — nothing more.
 */
#include "testlib.h"

#include <libfdt.h>
#include <string.h>

#include "diag.h"
#include "fdt_read.h"
#include "guestdt.h"
#include "platform.h"
#include "sysconf.h"
#include "validate.h"

static struct platform plat;
static struct kconf kc;
static struct sys sys;

static int setup(void **state)
{
    (void)state;
    tl_platform(&plat);
    tl_kconf(&kc);
    memset(&sys, 0, sizeof(sys));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sysconf_free(&sys);
    platform_free(&plat);
    diag_reset();
    return 0;
}

/* Build the DTB of the single cell described by `cell` and return it. */
static const void *dtb_of(const char *cell)
{
    tl_system(cell, &sys);
    tl_validate_all(&sys, &plat, &kc);
    tl_expect_no_diag();
    const void *fdt = sys.cells[0].dtb;
    assert_non_null(fdt);
    assert_int_equal(fdt_check_header(fdt), 0);
    assert_int_equal(fdt_totalsize(fdt), sys.cells[0].dtb_size);
    return fdt;
}

static uint32_t u32(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path);
    assert_true(node >= 0);
    int len = 0;
    const fdt32_t *v = fdt_getprop(fdt, node, prop, &len);
    assert_non_null(v);
    assert_int_equal(len, 4);
    return fdt32_to_cpu(*v);
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path);
    assert_true(node >= 0);
    const char *v = fdt_getprop(fdt, node, prop, NULL);
    assert_non_null(v);
    return v;
}

static int count_subnodes(const void *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path);
    int sub;
    int n = 0;
    assert_true(node >= 0);
    fdt_for_each_subnode(sub, fdt, node)
    {
        n++;
    }
    return n;
}

#define TWO_HART_CELL \
    "  linux { harts = <3 1>; image = \"img4k\"; image-address = <0x0 0x80200000>; bootargs = \"console=ttyS0\";" \
    "   devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";" \
    "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;" \
    "     size = <0x0 0x1000000>; access = \"rwx\"; };" \
    "   memory@100000000 { guest-address = <0x1 0x0>; host-address = <0x0 0x90000000>;" \
    "     size = <0x0 0x200000>; access = \"rw\"; }; };\n"

/* verifies: BOOT-2 */
static void test_root_and_cpus(void **state)
{
    (void)state;
    const void *fdt = dtb_of(TWO_HART_CELL);
    assert_int_equal(u32(fdt, "/", "#address-cells"), 2);
    assert_int_equal(u32(fdt, "/", "#size-cells"), 2);
    assert_string_equal(str(fdt, "/", "compatible"), "riscv-virtio");
    assert_string_equal(str(fdt, "/", "model"), "riscv-virtio,qemu");
    assert_int_equal(u32(fdt, "/cpus", "timebase-frequency"), 10000000);
    assert_int_equal(count_subnodes(fdt, "/cpus"), 2); /* no cpu-map */
    /* physical harts 3 and 1 become cpu@0 and cpu@1 */
    assert_int_equal(u32(fdt, "/cpus/cpu@0", "reg"), 0);
    assert_int_equal(u32(fdt, "/cpus/cpu@1", "reg"), 1);
    assert_true(fdt_path_offset(fdt, "/cpus/cpu@2") < 0);
    assert_string_equal(str(fdt, "/cpus/cpu@1", "device_type"), "cpu");
    assert_string_equal(str(fdt, "/cpus/cpu@1", "status"), "okay");
    assert_string_equal(str(fdt, "/cpus/cpu@1", "compatible"), "riscv");
    assert_string_equal(str(fdt, "/cpus/cpu@1", "mmu-type"), "riscv,sv39");
    assert_string_equal(str(fdt, "/cpus/cpu@1", "riscv,isa-base"), "rv64i");
    assert_string_equal(str(fdt, "/cpus/cpu@0/interrupt-controller", "compatible"), "riscv,cpu-intc");
    assert_int_equal(u32(fdt, "/cpus/cpu@0/interrupt-controller", "phandle"), 1);
    assert_int_equal(u32(fdt, "/cpus/cpu@1/interrupt-controller", "phandle"), 2);
    assert_int_equal(u32(fdt, "/cpus/cpu@1/interrupt-controller", "#interrupt-cells"), 1);
}

/* verifies: BOOT-2 */
static void test_isa_filtered(void **state)
{
    (void)state;
    const void *fdt = dtb_of(TWO_HART_CELL);
    int cpu = fdt_path_offset(fdt, "/cpus/cpu@0");
    assert_true(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "sstc")); /* Linux timer without exits */
    assert_true(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "i"));
    assert_true(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "zicsr"));
    assert_false(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "h")); /* no nested virtualisation */
    assert_false(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "zicbom"));
    assert_false(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "svadu"));
    assert_false(fdtr_has_string(fdt, cpu, "riscv,isa-extensions", "shgatpa"));
    int n = fdt_stringlist_count(fdt, cpu, "riscv,isa-extensions");
    for (int i = 0; i < n; i++) {
        bool allowed = false;
        const char *e = fdt_stringlist_get(fdt, cpu, "riscv,isa-extensions", i, NULL);
        for (size_t k = 0; guestdt_isa_allowed[k] != NULL; k++) {
            allowed = allowed || strcmp(e, guestdt_isa_allowed[k]) == 0;
        }
        assert_true(allowed);
    }
    assert_string_equal(str(fdt, "/cpus/cpu@0", "riscv,isa"),
                        "rv64imafdc_zicntr_zicsr_zifencei_zihintpause_zihpm_zmmul_zaamo_zalrsc_zca_zcd_zba_zbb_zbc_"
                        "zbs_sstc");
}

/* verifies: BOOT-2 */
static void test_memory_nodes(void **state)
{
    (void)state;
    const void *fdt = dtb_of(TWO_HART_CELL);
    int a = fdt_path_offset(fdt, "/memory@80000000");
    int b = fdt_path_offset(fdt, "/memory@100000000");
    assert_true(a >= 0);
    assert_true(b >= 0);
    assert_string_equal(str(fdt, "/memory@80000000", "device_type"), "memory");
    int len = 0;
    const fdt32_t *reg = fdt_getprop(fdt, b, "reg", &len);
    assert_int_equal(len, 16);
    assert_int_equal(fdt32_to_cpu(reg[0]), 1); /* guest address, not host */
    assert_int_equal(fdt32_to_cpu(reg[1]), 0);
    assert_int_equal(fdt32_to_cpu(reg[3]), 0x200000);
}

/* verifies: BOOT-2 */
static void test_plic(void **state)
{
    (void)state;
    const void *fdt = dtb_of(TWO_HART_CELL);
    int plic = fdt_path_offset(fdt, "/soc/plic@c000000");
    assert_true(plic >= 0);
    assert_true(fdtr_has_string(fdt, plic, "compatible", "riscv,plic0"));
    assert_true(fdtr_has_string(fdt, plic, "compatible", "sifive,plic-1.0.0"));
    assert_int_equal(u32(fdt, "/soc/plic@c000000", "riscv,ndev"), 95);
    assert_int_equal(u32(fdt, "/soc/plic@c000000", "#interrupt-cells"), 1);
    assert_int_equal(u32(fdt, "/soc/plic@c000000", "#address-cells"), 0);
    assert_non_null(fdt_getprop(fdt, plic, "interrupt-controller", NULL));
    int len = 0;
    const fdt32_t *ie = fdt_getprop(fdt, plic, "interrupts-extended", &len);
    assert_int_equal(len, 2 * 4 * 4); /* per vhart: <&intc 11 &intc 9> */
    const uint32_t want[] = {1, 11, 1, 9, 2, 11, 2, 9};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(fdt32_to_cpu(ie[i]), want[i]);
    }
    const fdt32_t *reg = fdt_getprop(fdt, plic, "reg", &len);
    assert_int_equal(len, 16);
    assert_int_equal(fdt32_to_cpu(reg[1]), 0xc000000);
    assert_int_equal(fdt32_to_cpu(reg[3]), 0x600000);
}

/* verifies: BOOT-2 */
static void test_devices_and_chosen(void **state)
{
    (void)state;
    const void *fdt = dtb_of(TWO_HART_CELL);
    uint32_t plic = u32(fdt, "/soc/plic@c000000", "phandle");
    assert_int_equal(plic, 3);
    assert_string_equal(str(fdt, "/soc", "compatible"), "simple-bus");
    assert_int_equal(count_subnodes(fdt, "/soc"), 3); /* plic, serial, the virtio */
    assert_string_equal(str(fdt, "/soc/serial@10000000", "compatible"), "ns16550a");
    assert_int_equal(u32(fdt, "/soc/serial@10000000", "interrupts"), 10);
    assert_int_equal(u32(fdt, "/soc/serial@10000000", "interrupt-parent"), plic);
    assert_string_equal(str(fdt, "/soc/virtio_mmio@10008000", "compatible"), "virtio,mmio");
    assert_int_equal(u32(fdt, "/soc/virtio_mmio@10008000", "interrupts"), 8);
    assert_int_equal(u32(fdt, "/soc/virtio_mmio@10008000", "interrupt-parent"), plic);
    /* the platform's marking is for bhconfig, not for the guest */
    assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/virtio_mmio@10008000"), "bulkhead,bus-master", NULL));
    assert_string_equal(str(fdt, "/chosen", "bootargs"), "console=ttyS0");
    assert_string_equal(str(fdt, "/chosen", "stdout-path"), "/soc/serial@10000000");
    /* only chosen, cpus, memory and soc at the root */
    assert_int_equal(count_subnodes(fdt, "/"), 5);
    assert_true(fdt_path_offset(fdt, "/soc/mtimer@2004000") < 0);
    assert_true(fdt_path_offset(fdt, "/soc/mswi@2000000") < 0);
    assert_true(fdt_path_offset(fdt, "/soc/sswi@2f00000") < 0); /* a guest never rings another hart itself */
    assert_true(fdt_path_offset(fdt, "/soc/test@100000") < 0);
    assert_true(fdt_path_offset(fdt, "/poweroff") < 0);
    assert_true(fdt_path_offset(fdt, "/soc/virtio_mmio@10007000") < 0);
}

/* verifies: BOOT-2 */
static void test_sbi_console(void **state)
{
    (void)state;
    const void *fdt =
        dtb_of("  a { harts = <2>; image = \"img4k\"; image-address = <0x0 0x80200000>; console = \"sbi\";"
               "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;"
               "     size = <0x0 0x1000000>; access = \"rwx\"; }; };\n");
    assert_true(fdt_path_offset(fdt, "/soc/serial@10000000") < 0);
    int chosen = fdt_path_offset(fdt, "/chosen");
    assert_true(chosen >= 0);
    assert_null(fdt_getprop(fdt, chosen, "stdout-path", NULL));
    assert_null(fdt_getprop(fdt, chosen, "bootargs", NULL));
    assert_int_equal(count_subnodes(fdt, "/soc"), 1);
    assert_int_equal(count_subnodes(fdt, "/cpus"), 1);
    int len = 0;
    assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/plic@c000000"), "interrupts-extended", &len));
    assert_int_equal(len, 16);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_root_and_cpus), T(test_isa_filtered),       T(test_memory_nodes),
        T(test_plic),          T(test_devices_and_chosen), T(test_sbi_console),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
