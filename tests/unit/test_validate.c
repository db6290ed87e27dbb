/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
/*
 * One test per validation rule (docs/config.md, "Validation"): a config
 * that breaks exactly that rule must produce exactly the expected line.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "emit.h"
#include "images.h"
#include "platform.h"
#include "sbuf.h"
#include "sysconf.h"
#include "util.h"
#include "validate.h"

/* A RAM region node: guest, host, size as hex without 0x, access. */
#define MEM(g, h, sz, acc) \
    "memory@" g " { guest-address = <0x0 0x" g ">; host-address = <0x0 0x" h ">; size = <0x0 0x" sz \
    ">; access = \"" acc "\"; }; "
/* A cell with image img4k at 0x80200000 and 16 MiB of RAM at guest 0x80000000. */
#define CELL(name, harts, host, extra) \
    "  " name " { harts = <" harts ">; image = \"img4k\"; image-address = <0x0 0x80200000>; " extra \
    " " MEM("80000000", host, "1000000", "rwx") "};\n"
#define CELL_MEM(name, harts, extra, mems) \
    "  " name " { harts = <" harts ">; image = \"img4k\"; image-address = <0x0 0x80200000>; " extra " " mems "};\n"

struct fixture {
    struct platform p;
    struct kconf k;
    struct sys s;
};

static struct fixture fx;

static int setup(void **state)
{
    (void)state;
    memset(&fx, 0, sizeof(fx));
    tl_platform(&fx.p);
    tl_kconf(&fx.k);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sysconf_free(&fx.s);
    platform_free(&fx.p);
    diag_reset();
    return 0;
}

/* Parse `cells`, run every rule; the parse itself must be clean. */
static void run(const char *cells)
{
    tl_system(cells, &fx.s);
    tl_expect_no_diag();
    tl_validate_all(&fx.s, &fx.p, &fx.k);
}

/* Exactly these lines, in this order. */
static void expect_lines(const char *const *lines, unsigned n)
{
    bool same = diag_count() == n;
    for (unsigned i = 0; same && i < n; i++) {
        same = strcmp(diag_get(i), lines[i]) == 0;
    }
    if (!same) {
        fprintf(stderr, "expected %u line(s):\n", n);
        for (unsigned i = 0; i < n; i++) {
            fprintf(stderr, "  %s\n", lines[i]);
        }
        fprintf(stderr, "got %u:\n", diag_count());
        diag_print(stderr);
        fail();
    }
}

#define EXPECT(...) \
    do { \
        const char *const lines_[] = {__VA_ARGS__}; \
        expect_lines(lines_, sizeof(lines_) / sizeof(lines_[0])); \
    } while (0)

/* verifies: CFG-2, CFG-3, CFG-4, CFG-5, CFG-6, CFG-7 */
static void test_valid_system(void **state)
{
    (void)state;
    run(CELL("rtos", "0", "88000000", "fault-policy = \"restart\";")
            CELL("linux", "1 2", "90000000",
                 "devices = \"virtio_mmio@10001000\", \"virtio_mmio@10002000\", \"rtc@101000\"; console = \"sbi\"; dma "
                 "= \"unconfined\";"
                 " bootargs = \"console=hvc0\"; entry = <0x0 0x80200010>;"));
    tl_expect_no_diag();
    const struct cell *l = &fx.s.cells[1];
    assert_int_equal(l->num_irqs, 3);
    assert_int_equal(l->irqs[0], 1); /* sorted */
    assert_int_equal(l->irqs[1], 2);
    assert_int_equal(l->irqs[2], 0xb);
    assert_int_equal(l->dtb_address, 0x80ff0000ULL); /* last 64 KiB of the region */
    assert_int_equal(fx.s.cells[0].image_size, 4096);
}

/* verifies: CFG-2, CFG-8 */
static void test_too_many_cells(void **state)
{
    (void)state;
    fx.k.max_cells = 1;
    run(CELL("a", "0", "88000000", "") CELL("b", "1", "90000000", ""));
    EXPECT("test.dts: /cells: cells: 2 cells exceed CONFIG_MAX_CELLS (1)");
}

/* verifies: CFG-2, CFG-8 */
static void test_cell_names(void **state)
{
    (void)state;
    run(CELL("hypervisor", "0", "88000000", "") CELL("a-b", "1", "90000000", "") CELL("a_b", "2", "98000000", ""));
    EXPECT("test.dts: cell 'hypervisor': name: 'hypervisor' is reserved for the hypervisor's own logs",
           "test.dts: cell 'a_b': name: C symbol name 'a_b' is also that of cell 'a-b'");
}

/* verifies: CFG-3, CFG-8 */
static void test_hart_not_on_platform(void **state)
{
    (void)state;
    run(CELL("a", "0 7", "88000000", ""));
    EXPECT("test.dts: cell 'a': harts: hart 0x7 does not exist on platform qemu-virt (4 harts, ids 0x0..0x3)");
}

/* Per-hart tables are indexed by hart id up to BH_HART_ID_LIMIT (abi.h). */
/* verifies: CFG-3, CFG-8 */
static void test_hart_id_limit(void **state)
{
    (void)state;
    run(CELL("a", "0 1024", "88000000", "") CELL("b", "0xffffffff", "90000000", ""));
    EXPECT("test.dts: cell 'a': harts: hart 0x400 (1024) is not below 1024, the hypervisor's hart id limit",
           "test.dts: cell 'b': harts: hart 0xffffffff (4294967295) is not below 1024, the hypervisor's hart id limit");
}

/* verifies: CFG-3, CFG-8 */
static void test_hart_twice(void **state)
{
    (void)state;
    run(CELL("a", "1 1", "88000000", ""));
    EXPECT("test.dts: cell 'a': harts: hart 0x1 is listed twice");
}

/* verifies: CFG-3, CFG-8 */
static void test_hart_in_two_cells(void **state)
{
    (void)state;
    run(CELL("a", "0 1", "88000000", "") CELL("b", "1", "90000000", ""));
    EXPECT("test.dts: cell 'b': harts: hart 0x1 already belongs to cell 'a'");
}

/* verifies: CFG-3, CFG-8 */
static void test_too_many_harts(void **state)
{
    (void)state;
    fx.k.max_cell_harts = 2;
    run(CELL("a", "0 1 2", "88000000", ""));
    EXPECT("test.dts: cell 'a': harts: 3 harts exceed CONFIG_MAX_CELL_HARTS (2)");
}

/* verifies: CFG-4, CFG-8 */
static void test_unknown_device(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10009000\", \"fw-cfg@10100000\";"));
    EXPECT("test.dts: cell 'a': devices: \"virtio_mmio@10009000\" is not a device under /soc of platform qemu-virt",
           "test.dts: cell 'a': devices: \"fw-cfg@10100000\" is not a device under /soc of platform qemu-virt");
}

/* verifies: CFG-4, CFG-8 */
static void test_device_twice(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "devices = \"rtc@101000\", \"rtc@101000\";"));
    EXPECT("test.dts: cell 'a': devices: \"rtc@101000\" is listed twice");
    assert_int_equal(fx.s.cells[0].num_irqs, 1);
}

/* verifies: CFG-4, CFG-8 */
static void test_hypervisor_devices(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000",
             "devices = \"serial@10000000\", \"plic@c000000\", \"mtimer@2004000\", \"mswi@2000000\", "
             "\"sswi@2f00000\", \"test@100000\", \"pci@30000000\";"));
    EXPECT("test.dts: cell 'a': devices: \"serial@10000000\" stays with the hypervisor: the hypervisor's console UART",
           "test.dts: cell 'a': devices: \"plic@c000000\" stays with the hypervisor: an interrupt controller, "
           "virtualised by the hypervisor",
           "test.dts: cell 'a': devices: \"mtimer@2004000\" stays with the hypervisor: the CLINT or ACLINT (machine "
           "timer and IPIs of the firmware)",
           "test.dts: cell 'a': devices: \"mswi@2000000\" stays with the hypervisor: an interrupt controller, "
           "virtualised by the hypervisor",
           "test.dts: cell 'a': devices: \"sswi@2f00000\" stays with the hypervisor: the supervisor software "
           "interrupts (ACLINT SSWI) the hypervisor sends its IPIs with",
           "test.dts: cell 'a': devices: \"test@100000\" stays with the hypervisor: the system reset and power-off "
           "device of the firmware",
           "test.dts: cell 'a': devices: \"pci@30000000\" stays with the hypervisor: a PCI host bridge (PCI "
           "pass-through needs a platform with an IOMMU)");
}

/* Every hart in a cell that claims its interrupts in hardware: none may take the UART's. */
/* verifies: CFG-9, CFG-8 */
static void test_no_console_hart(void **state)
{
    (void)state;
    run(CELL("a", "0 1", "88000000", "devices = \"rtc@101000\"; console = \"sbi\";")
            CELL("b", "2 3", "90000000",
                 "devices = \"virtio_mmio@10001000\"; console = \"sbi\"; "
                 "dma = \"unconfined\";"));
    EXPECT("test.dts: /cells: console: no hart can take the console UART interrupt: every cell claims its "
           "interrupts in hardware (console = \"sbi\" with devices) and every hart is in a cell; give one cell "
           "console = \"ns16550\" or leave a hart out of every cell");
}

/* One trap-mode cell, or one free hart, is enough. */
/* verifies: CFG-9 */
static void test_console_hart_choice(void **state)
{
    (void)state;
    run(CELL("a", "0 1", "88000000", "devices = \"rtc@101000\"; console = \"sbi\";") CELL("b", "3 2", "90000000", ""));
    tl_expect_no_diag();
    assert_int_equal(emit_console_hart(&fx.s, &fx.p), 2); /* lowest hart of the trap-mode cell */
    sysconf_free(&fx.s);
    run(CELL("a", "1", "88000000", "devices = \"rtc@101000\"; console = \"sbi\";") CELL("b", "3", "90000000", ""));
    tl_expect_no_diag();
    assert_int_equal(emit_console_hart(&fx.s, &fx.p), 0); /* a hart in no cell comes first */
}

/* verifies: CFG-4, CFG-8 */
static void test_device_two_owners(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";")
            CELL("b", "1", "90000000", "devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";"));
    EXPECT("test.dts: cell 'b': devices: \"virtio_mmio@10008000\" already belongs to cell 'a'");
}

/* The attack of issue 12: a cell owning a virtio-blk next to a victim; DMA would reach the victim's RAM. */
/* verifies: ISO-DMA-1, CFG-8 */
static void test_dma_bus_master_refused(void **state)
{
    (void)state;
    run(CELL("victim", "0", "88000000", "")
            CELL("attacker", "1", "90000000", "devices = \"rtc@101000\", \"virtio_mmio@10008000\";"));
    EXPECT("test.dts: cell 'attacker': devices: \"virtio_mmio@10008000\" is a bus master and no IOMMU confines it: "
           "its DMA reaches all physical memory (other cells, the hypervisor, the firmware); refused unless the "
           "cell says dma = \"unconfined\"");
    assert_int_equal(diag_warn_count(), 0);
}

/* verifies: ISO-DMA-1, CFG-8 */
static void test_dma_unconfined_warns(void **state)
{
    (void)state;
    run(CELL("victim", "0", "88000000", "") CELL(
        "attacker", "1", "90000000",
        "devices = \"virtio_mmio@10008000\", \"rtc@101000\", \"virtio_mmio@10007000\"; dma = \"unconfined\";"));
    tl_expect_no_diag();
    assert_int_equal(fx.s.cells[1].dma, DMA_UNCONFINED);
    assert_int_equal(diag_warn_count(), 2); /* the two virtio-mmio, not the RTC */
    assert_string_equal(diag_warn_get(0), "test.dts: cell 'attacker': dma: warning: \"virtio_mmio@10008000\" can DMA "
                                          "anywhere in physical memory (no IOMMU; dma = \"unconfined\")");
    assert_string_equal(diag_warn_get(1), "test.dts: cell 'attacker': dma: warning: \"virtio_mmio@10007000\" can DMA "
                                          "anywhere in physical memory (no IOMMU; dma = \"unconfined\")");
    diag_reset();
    assert_int_equal(diag_warn_count(), 0);
}

/* verifies: ISO-DMA-1, CFG-8 */
static void test_dma_without_bus_master(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "devices = \"rtc@101000\"; dma = \"unconfined\";")
            CELL("b", "1", "90000000", "dma = \"unconfined\";"));
    EXPECT("test.dts: cell 'a': dma: \"unconfined\" but no device in devices is a bus master: remove the property",
           "test.dts: cell 'b': dma: \"unconfined\" but no device in devices is a bus master: remove the property");
}

/* A bad dma value is reported once, by the parser, not again as a missing property. */
/* verifies: ISO-DMA-1, CFG-8 */
static void test_dma_bad_value_one_line(void **state)
{
    (void)state;
    tl_system(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10008000\"; dma = \"iommu\";"), &fx.s);
    tl_validate_all(&fx.s, &fx.p, &fx.k);
    EXPECT("test.dts: cell 'a': dma: \"iommu\" is not \"unconfined\", the only value (confining DMA with an IOMMU "
           "is not supported yet)");
    assert_int_equal(diag_warn_count(), 0);
}

/* A bus master refused for another reason gets that reason only. */
/* verifies: ISO-DMA-1, CFG-8 */
static void test_dma_no_second_line(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";")
            CELL("b", "1", "90000000", "devices = \"virtio_mmio@10008000\", \"pci@30000000\";"));
    EXPECT("test.dts: cell 'b': devices: \"virtio_mmio@10008000\" already belongs to cell 'a'",
           "test.dts: cell 'b': devices: \"pci@30000000\" stays with the hypervisor: a PCI host bridge (PCI "
           "pass-through needs a platform with an IOMMU)");
}

/* verifies: CFG-4, CFG-8 */
static void test_device_and_irq_limits(void **state)
{
    (void)state;
    fx.k.max_devices = 2;
    fx.k.max_irqs = 2;
    run(CELL("a", "0", "88000000",
             "devices = \"virtio_mmio@10001000\", \"virtio_mmio@10002000\", \"virtio_mmio@10003000\"; dma = "
             "\"unconfined\";"));
    EXPECT("test.dts: cell 'a': devices: 3 devices exceed CONFIG_MAX_CELL_DEVICES (2)",
           "test.dts: cell 'a': devices: 3 interrupts exceed CONFIG_MAX_CELL_IRQS (2)");
}

/* verifies: CFG-4, CFG-8 */
static void test_irq_rules(void **state)
{
    (void)state;
    platform_free(&fx.p);
    tl_platform_amended("&{/soc/rtc@101000} { interrupts = <0x60>; };\n"
                        "&{/soc/virtio_mmio@10007000} { interrupts = <0xa>; };\n"
                        "&{/soc/virtio_mmio@10006000} { interrupts = <0x1>; };\n"
                        "&{/soc/virtio_mmio@10005000} { interrupt-parent = <&{/cpus/cpu@0/interrupt-controller}>; };\n",
                        &fx.p);
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10001000\", \"rtc@101000\"; dma = \"unconfined\";")
            CELL("b", "1", "90000000",
                 "devices = \"virtio_mmio@10007000\", \"virtio_mmio@10006000\", \"virtio_mmio@10005000\"; dma = "
                 "\"unconfined\";"));
    EXPECT("test.dts: cell 'a': devices: \"rtc@101000\" interrupt 0x60 is not a PLIC source (1..0x5f = riscv,ndev)",
           "test.dts: cell 'b': devices: \"virtio_mmio@10007000\" interrupt 0xa is the hypervisor's console UART "
           "interrupt",
           "test.dts: cell 'b': devices: \"virtio_mmio@10006000\" interrupt 0x1 already belongs to cell 'a'",
           "test.dts: cell 'b': devices: \"virtio_mmio@10005000\" has interrupts not delivered by the PLIC");
}

/* verifies: CFG-4, CFG-8 */
static void test_device_page_shared(void **state)
{
    (void)state;
    platform_free(&fx.p);
    tl_platform_amended("&{/soc} { extra@10008800 { reg = <0x0 0x10008800 0x0 0x100>; interrupts = <0x20>;\n"
                        " interrupt-parent = <&{/soc/plic@c000000}>; }; };\n",
                        &fx.p);
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";") CELL(
        "b", "1", "90000000", "devices = \"virtio_mmio@10007000\", \"extra@10008800\"; dma = \"unconfined\";"));
    EXPECT("test.dts: cell 'a': devices: \"virtio_mmio@10008000\" pages 0x10008000..0x10008fff also expose "
           "/soc/extra@10008800 0x10008800..0x100088ff",
           "test.dts: cell 'b': devices: \"extra@10008800\" pages 0x10008000..0x10008fff also expose "
           "/soc/virtio_mmio@10008000 0x10008000..0x10008fff");
}

/* verifies: CFG-4, CFG-8 */
static void test_device_page_shared_same_cell_ok(void **state)
{
    (void)state;
    platform_free(&fx.p);
    tl_platform_amended("&{/soc} { extra@10008800 { reg = <0x0 0x10008800 0x0 0x100>; interrupts = <0x20>;\n"
                        " interrupt-parent = <&{/soc/plic@c000000}>; }; };\n",
                        &fx.p);
    run(CELL("a", "0", "88000000", "devices = \"virtio_mmio@10008000\", \"extra@10008800\"; dma = \"unconfined\";"));
    tl_expect_no_diag();
}

/* verifies: CFG-5, CFG-8 */
static void test_misaligned_region(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "", MEM("80000800", "88000100", "1000", "rwx") MEM("80200000", "88100000", "1234", "rwx")));
    EXPECT("test.dts: cell 'a': memory@80000800/guest-address: 0x80000800 is not a multiple of 4 KiB (0x1000)",
           "test.dts: cell 'a': memory@80000800/host-address: 0x88000100 is not a multiple of 4 KiB (0x1000)",
           "test.dts: cell 'a': memory@80200000/size: 0x1234 is not a multiple of 4 KiB (0x1000)");
}

/* verifies: CFG-5, CFG-8 */
static void test_zero_size(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "", MEM("80000000", "88000000", "0", "rwx") MEM("80200000", "88200000", "100000", "rwx")));
    EXPECT("test.dts: cell 'a': memory@80000000/size: is zero");
}

/* verifies: CFG-5, CFG-8 */
static void test_outside_ram(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "", MEM("80000000", "fff00000", "400000", "rwx")));
    EXPECT("test.dts: cell 'a': memory@80000000/host-address: 0xfff00000..0x1002fffff is not inside platform RAM "
           "0x80000000..0xffffffff");
}

/* verifies: CFG-5, CFG-8 */
static void test_overlap_firmware(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "", MEM("80000000", "80100000", "400000", "rwx")));
    EXPECT("test.dts: cell 'a': memory@80000000/host-address: 0x80100000..0x804fffff overlaps the firmware "
           "(/reserved-memory/firmware@80000000) 0x80000000..0x801fffff",
           "test.dts: cell 'a': memory@80000000/host-address: 0x80100000..0x804fffff overlaps the hypervisor region "
           "0x80200000..0x83ffffff");
}

/* verifies: CFG-5, CFG-8 */
static void test_overlap_hypervisor(void **state)
{
    (void)state;
    run(CELL("a", "0", "83000000", ""));
    EXPECT("test.dts: cell 'a': memory@80000000/host-address: 0x83000000..0x83ffffff overlaps the hypervisor "
           "region 0x80200000..0x83ffffff");
}

/* verifies: CFG-5, CFG-8 */
static void test_overlap_mmio(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "",
                 MEM("80000000", "10000000", "2000", "rwx") MEM("80200000", "88000000", "100000", "rwx")));
    EXPECT("test.dts: cell 'a': memory@80000000/host-address: 0x10000000..0x10001fff is not inside platform RAM "
           "0x80000000..0xffffffff",
           "test.dts: cell 'a': memory@80000000/host-address: 0x10000000..0x10001fff overlaps platform MMIO "
           "/soc/serial@10000000 0x10000000..0x100000ff",
           "test.dts: cell 'a': memory@80000000/host-address: 0x10000000..0x10001fff overlaps platform MMIO "
           "/soc/virtio_mmio@10001000 0x10001000..0x10001fff");
}

/* verifies: CFG-5, CFG-8 */
static void test_overlap_between_cells(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "") CELL("b", "1", "88800000", ""));
    EXPECT("test.dts: cell 'b': memory@80000000/host-address: 0x88800000..0x897fffff overlaps cell 'a' "
           "memory@80000000, host 0x88000000..0x88ffffff");
}

/* verifies: CFG-5, CFG-8 */
static void test_overlap_inside_cell(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "",
                 MEM("80000000", "88000000", "1000000", "rwx") MEM("90000000", "88800000", "1000", "r")
                     MEM("80800000", "98000000", "1000", "r")));
    EXPECT("test.dts: cell 'a': memory@90000000/host-address: 0x88800000..0x88800fff overlaps memory@80000000 of "
           "the same cell, host 0x88000000..0x88ffffff",
           "test.dts: cell 'a': memory@80800000/guest-address: 0x80800000..0x80800fff overlaps memory@80000000, "
           "guest 0x80000000..0x80ffffff");
}

/* verifies: CFG-4, CFG-8 */
static void test_guest_overlaps_emulated_devices(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "",
                 MEM("80000000", "88000000", "1000000", "rwx") MEM("c100000", "89000000", "1000", "rw")
                     MEM("10000000", "89100000", "1000", "rw"))
            CELL_MEM("b", "1", "console = \"sbi\";",
                     MEM("80000000", "90000000", "1000000", "rwx") MEM("10000000", "91000000", "1000", "rw")));
    EXPECT("test.dts: cell 'a': memory@c100000/guest-address: 0xc100000..0xc100fff overlaps the virtual PLIC "
           "0xc000000..0xc5fffff",
           "test.dts: cell 'a': memory@10000000/guest-address: 0x10000000..0x10000fff overlaps the emulated UART "
           "0x10000000..0x10000fff");
}

/* verifies: CFG-4, CFG-8 */
static void test_guest_overlaps_device(void **state)
{
    (void)state;
    run(CELL_MEM("a", "0", "devices = \"virtio_mmio@10008000\"; dma = \"unconfined\";",
                 MEM("80000000", "88000000", "1000000", "rwx") MEM("10008000", "89000000", "1000", "rw")));
    EXPECT("test.dts: cell 'a': memory@10008000/guest-address: 0x10008000..0x10008fff overlaps device "
           "virtio_mmio@10008000 0x10008000..0x10008fff");
}

/* verifies: CFG-5, CFG-8 */
static void test_guest_beyond_sv39x4(void **state)
{
    (void)state;
    run(CELL_MEM(
        "a", "0", "",
        MEM("80000000", "88000000", "1000000",
            "rwx") "memory@x { guest-address = <0x200 0x0>; host-address = <0x0 0x89000000>; size = <0x0 0x1000>;"
                   " access = \"r\"; };"));
    EXPECT("test.dts: cell 'a': memory@x/guest-address: 0x20000000000..0x20000000fff is not inside the Sv39x4 "
           "guest-physical space 0x0..0x1ffffffffff");
}

/* verifies: CFG-5, CFG-8 */
static void test_too_many_regions(void **state)
{
    (void)state;
    fx.k.max_regions = 1;
    run(CELL_MEM("a", "0", "", MEM("80000000", "88000000", "1000000", "rwx") MEM("90000000", "89000000", "1000", "r")));
    EXPECT("test.dts: cell 'a': memory: 2 regions exceed CONFIG_MAX_CELL_REGIONS (1)");
}

/* verifies: CFG-6, CFG-8 */
static void test_image_missing(void **state)
{
    (void)state;
    run("  a { harts = <0>; image = \"nonexistent\"; image-address = <0x0 0x80200000>; " MEM("80000000", "88000000",
                                                                                             "1000000", "rwx") "};\n");
    EXPECT("test.dts: cell 'a': image: \"nonexistent\": cannot read " TL_IMAGES
           "/nonexistent.bin: No such file or directory");
}

/* verifies: CFG-6, CFG-8 */
static void test_image_empty(void **state)
{
    (void)state;
    char dir[] = "/tmp/bhconfig-img-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/empty.bin", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    tl_system("  a { harts = <0>; image = \"empty\"; image-address = <0x0 0x80200000>; " MEM("80000000", "88000000",
                                                                                             "1000000", "rwx") "};\n",
              &fx.s);
    images_resolve(&fx.s, dir);
    char *want = xasprintf("test.dts: cell 'a': image: \"empty\": %s is empty", path);
    EXPECT(want);
    free(want);
    unlink(path);
    rmdir(dir);
    free(path);
}

/* verifies: CFG-6, CFG-8 */
static void test_image_address_outside(void **state)
{
    (void)state;
    run("  a { harts = <0>; image = \"img4k\"; image-address = <0x0 0x90000000>; " MEM("80000000", "88000000",
                                                                                       "1000000", "rwx") "};\n");
    EXPECT("test.dts: cell 'a': image-address: 0x90000000 is not inside any RAM region of the cell");
}

/* verifies: CFG-6, CFG-8 */
static void test_image_too_big(void **state)
{
    (void)state;
    run("  a { harts = <0>; image = \"img8k\"; image-address = <0x0 0x80200000>; dtb-address = <0x0 0x80000000>; " MEM(
        "80000000", "88000000", "1000", "rw") MEM("80200000", "88200000", "1000", "rwx") "};\n");
    EXPECT("test.dts: cell 'a': image: \"img8k\" (0x2000 bytes) at 0x80200000..0x80201fff does not fit in "
           "memory@80200000 (guest 0x80200000..0x80200fff)");
}

/* verifies: CFG-6, CFG-8 */
static void test_entry_outside_image(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "entry = <0x0 0x80201000>;"));
    EXPECT("test.dts: cell 'a': entry: 0x80201000 is outside the image 0x80200000..0x80200fff");
}

/* verifies: CFG-6, CFG-8 */
static void test_entry_not_executable(void **state)
{
    (void)state;
    run("  a { harts = <0>; image = \"img4k\"; image-address = <0x0 0x80200000>; " MEM("80000000", "88000000",
                                                                                       "1000000", "rw") "};\n");
    EXPECT("test.dts: cell 'a': entry: 0x80200000 is in memory@80000000, which has no 'x' access");
}

/* verifies: CFG-6, CFG-8 */
static void test_dtb_rules(void **state)
{
    (void)state;
    run(CELL("a", "0", "88000000", "dtb-address = <0x0 0x80100004>;")
            CELL("b", "1", "90000000", "dtb-address = <0x0 0x80fffc00>;")
                CELL("c", "2", "98000000", "dtb-address = <0x0 0x801fff00>;"));
    assert_int_equal(diag_count(), 3);
    assert_string_equal(diag_get(0), "test.dts: cell 'a': dtb-address: 0x80100004 is not 8-byte aligned");
    tl_expect_diag("test.dts: cell 'b': dtb-address: DTB 0x80fffc00..");
    tl_expect_diag("is not inside one RAM region");
    tl_expect_diag("test.dts: cell 'c': dtb-address: DTB 0x801fff00..");
    tl_expect_diag("overlaps the image 0x80200000..0x80200fff");
}

/* verifies: CFG-6, CFG-8 */
static void test_default_dtb_over_image(void **state)
{
    (void)state;
    run("  a { harts = <0>; image = \"img4k\"; image-address = <0x0 0x80ff0400>; " MEM("80000000", "88000000",
                                                                                       "1000000", "rwx") "};\n");
    tl_expect_diag("test.dts: cell 'a': dtb-address: DTB 0x80ff0000..");
    tl_expect_diag("overlaps the image 0x80ff0400..0x80ff13ff (default: last 64 KiB of memory@80000000)");
}

/* verifies: CFG-7, CFG-8 */
static void test_hypervisor_rules(void **state)
{
    (void)state;
    diag_reset();
    void *fdt = tl_compile("/dts-v1/;\n/ { compatible = \"bulkhead,system\"; model = \"m\";\n"
                           " hypervisor { reg = <0x0 0x80100000 0x0 0x00300000>; };\n cells {\n" CELL(
                               "a", "0", "88000000", "") " };\n};\n");
    assert_non_null(fdt);
    assert_true(sysconf_parse("h.dts", fdt, "qemu-virt", FAULT_STOP, &fx.s));
    tl_validate_all(&fx.s, &fx.p, &fx.k);
    EXPECT("h.dts: hypervisor: reg: 0x80100000 size 0x300000: base and size must be non-zero multiples of 2 MiB",
           "h.dts: hypervisor: reg: 0x80100000..0x803fffff overlaps the firmware (/reserved-memory/firmware@80000000) "
           "0x80000000..0x801fffff");
}

/* verifies: CFG-7, CFG-8 */
static void test_hypervisor_outside_ram_and_too_small(void **state)
{
    (void)state;
    diag_reset();
    void *fdt = tl_compile("/dts-v1/;\n/ { compatible = \"bulkhead,system\"; model = \"m\";\n"
                           " hypervisor { reg = <0x0 0x40000000 0x0 0x00200000>; };\n cells {\n" CELL(
                               "a", "0", "88000000", "") " };\n};\n");
    assert_non_null(fdt);
    assert_true(sysconf_parse("h.dts", fdt, "qemu-virt", FAULT_STOP, &fx.s));
    tl_validate_all(&fx.s, &fx.p, &fx.k);
    assert_int_equal(diag_count(), 2);
    assert_string_equal(diag_get(0), "h.dts: hypervisor: reg: 0x40000000..0x401fffff is not inside platform RAM "
                                     "0x80000000..0xffffffff");
    tl_expect_diag("h.dts: hypervisor: reg: size 0x200000 is too small: needs 0x");
    /* hart 0 runs cell a, hart 1 the console, and a boot slot for harts 2 and 3 */
    tl_expect_diag("(code region 0x200000 = code and data 0x80000 + 4 hart ids of qemu-virt x 0x400 + 3 stacks x "
                   "0x1000 (CONFIG_HART_STACK_SIZE + 4 KiB guard); G-stage tables 0x5000; images and DTBs 0x");
}

/*
 * One doorbell page holds 256 slots: a 257th channel of a cell is refused.
 * On qemu-virt (95 PLIC sources) the distinct doorbell interrupts run out
 * first, so this platform is amended to 1023 sources.
 */
/* verifies: CFG-13, CFG-8 */
static void test_doorbell_slot_limit(void **state)
{
    (void)state;
    struct sbuf ch;
    platform_free(&fx.p);
    tl_platform_amended("&{/soc/plic@c000000} { riscv,ndev = <1023>; };", &fx.p);
    sbuf_init(&ch);
    for (unsigned i = 0; i < 257U; i++) {
        unsigned irq = 11U + i; /* above the UART's 10 */
        sbuf_printf(&ch,
                    "  c%u { size = <0x0 0x1000>;"
                    "   a { guest-address = <0x0 0x%x>; access = \"rw\"; interrupt = <%u>; };"
                    "   b { guest-address = <0x0 0x%x>; access = \"r\"; interrupt = <%u>; }; };\n",
                    i, 0x40000000U + i * 0x1000U, irq, 0x40000000U + i * 0x1000U, irq);
    }
    tl_system_with(CELL("a", "0", "88000000", "doorbell-address = <0x0 0x30000000>;")
                       CELL("b", "1", "89000000", "doorbell-address = <0x0 0x30000000>;"),
                   ch.data, &fx.s);
    sbuf_free(&ch);
    tl_expect_no_diag();
    tl_validate_all(&fx.s, &fx.p, &fx.k);
    EXPECT("test.dts: cell 'a': doorbell-address: 257 channels exceed the 256 doorbell slots of one page",
           "test.dts: cell 'b': doorbell-address: 257 channels exceed the 256 doorbell slots of one page");
}

/*
 * An "aia" cell needs a guest interrupt file on each of its harts: a platform
 * without any is refused naming the file, the cell and the count; one region
 * over the APLIC domain the guest is given is refused like one over its files.
 */
/* verifies: CFG-14, IRQ-AIA-2 */
static void test_aia_guest_files(void **state)
{
    (void)state;
    platform_free(&fx.p);
    assert_true(tl_platform_file_try_amended(
        TL_PLATFORM_AIA, "&{/soc/interrupt-controller@28000000} { riscv,guest-index-bits = <0>; };", &fx.p));
    run(CELL("a", "1", "88000000", "console = \"sbi\"; interrupt-controller = \"aia\";"));
    EXPECT("test.dts: cell 'a': interrupt-controller: \"aia\" needs IMSIC guest interrupt files; plat has none "
           "(riscv,guest-index-bits = 0)");
    sysconf_free(&fx.s);
    platform_free(&fx.p);
    diag_reset();
    assert_true(tl_platform_file_try_amended(TL_PLATFORM_AIA, "", &fx.p));
    run(CELL_MEM("a", "1 2", "console = \"sbi\"; interrupt-controller = \"aia\";",
                 MEM("80000000", "88000000", "1000000", "rwx") MEM("d003000", "89000000", "1000", "rw")));
    EXPECT("test.dts: cell 'a': memory@d003000: guest 0xd003000-0xd003fff overlaps the cell's APLIC domain at "
           "0xd000000-0xd003fff (interrupt-controller = \"aia\")");
    /* a PLIC-only cell may use those guest addresses */
    sysconf_free(&fx.s);
    diag_reset();
    run(CELL_MEM("a", "1 2", "console = \"sbi\";",
                 MEM("80000000", "88000000", "1000000", "rwx") MEM("d007000", "89000000", "1000", "rw")
                     MEM("28000000", "8a000000", "1000", "rw")));
    tl_expect_no_diag();
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_valid_system),
        T(test_doorbell_slot_limit),
        T(test_too_many_cells),
        T(test_cell_names),
        T(test_hart_not_on_platform),
        T(test_hart_id_limit),
        T(test_hart_twice),
        T(test_hart_in_two_cells),
        T(test_too_many_harts),
        T(test_unknown_device),
        T(test_device_twice),
        T(test_hypervisor_devices),
        T(test_no_console_hart),
        T(test_console_hart_choice),
        T(test_device_two_owners),
        T(test_dma_bus_master_refused),
        T(test_dma_unconfined_warns),
        T(test_dma_without_bus_master),
        T(test_dma_no_second_line),
        T(test_dma_bad_value_one_line),
        T(test_device_and_irq_limits),
        T(test_irq_rules),
        T(test_device_page_shared),
        T(test_device_page_shared_same_cell_ok),
        T(test_misaligned_region),
        T(test_zero_size),
        T(test_outside_ram),
        T(test_overlap_firmware),
        T(test_overlap_hypervisor),
        T(test_overlap_mmio),
        T(test_overlap_between_cells),
        T(test_overlap_inside_cell),
        T(test_guest_overlaps_emulated_devices),
        T(test_guest_overlaps_device),
        T(test_guest_beyond_sv39x4),
        T(test_too_many_regions),
        T(test_image_missing),
        T(test_image_empty),
        T(test_image_address_outside),
        T(test_image_too_big),
        T(test_entry_outside_image),
        T(test_entry_not_executable),
        T(test_dtb_rules),
        T(test_default_dtb_over_image),
        T(test_hypervisor_rules),
        T(test_hypervisor_outside_ram_and_too_small),
        T(test_aia_guest_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
