/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parsing: property helpers, .config, the platform DT and the shape checks
 * of the system config (defaults, access strings, choices, unknown names).
 */
#include "testlib.h"

#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "dtc.h"
#include "fdt_read.h"
#include "kconfig.h"
#include "platform.h"
#include "sysconf.h"
#include "util.h"

static const char *const one_cell =
    "  a { harts = <1>; image = \"img4k\"; image-address = <0x0 0x80200000>;\n"
    "      memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;\n"
    "                        size = <0x0 0x1000000>; access = \"rwx\"; }; };\n";

/* verifies: CFG-1 */
static void test_fdt_read(void **state)
{
    (void)state;
    diag_reset();
    void *fdt = tl_compile("/dts-v1/;\n/ { two = <0x1 0x2>; one = <0x80200000>; three = <1 2 3>;\n"
                           " s = \"x\"; list = \"a\", \"b\"; empty; };\n");
    assert_non_null(fdt);
    uint64_t v = 0;
    uint32_t u = 0;
    const char *s = NULL;
    assert_int_equal(fdtr_u64(fdt, 0, "two", &v), PROP_OK);
    assert_int_equal(v, 0x100000002ULL);
    assert_int_equal(fdtr_u64(fdt, 0, "one", &v), PROP_OK);
    assert_int_equal(v, 0x80200000ULL);
    assert_int_equal(fdtr_u64(fdt, 0, "three", &v), PROP_BAD);
    assert_int_equal(fdtr_u64(fdt, 0, "nope", &v), PROP_MISSING);
    assert_int_equal(fdtr_u32(fdt, 0, "two", &u), PROP_BAD);
    assert_int_equal(fdtr_u32(fdt, 0, "one", &u), PROP_OK);
    assert_int_equal(fdtr_string(fdt, 0, "s", &s), PROP_OK);
    assert_string_equal(s, "x");
    assert_int_equal(fdtr_string(fdt, 0, "list", &s), PROP_BAD);
    assert_int_equal(fdtr_string(fdt, 0, "empty", &s), PROP_BAD);
    assert_int_equal(fdtr_strings(fdt, 0, "list"), 2);
    assert_int_equal(fdtr_strings(fdt, 0, "nope"), 0);
    assert_int_equal(fdtr_strings(fdt, 0, "two"), -1); /* not NUL-terminated */
    assert_true(fdtr_has_string(fdt, 0, "list", "b"));
    assert_false(fdtr_has_string(fdt, 0, "list", "c"));
    free(fdt);
}

/* verifies: CFG-1, CFG-8 */
static void test_dtc_errors_name_the_file(void **state)
{
    (void)state;
    diag_reset();
    assert_null(tl_compile("/dts-v1/;\n/ { a = <1> \n"));
    tl_expect_diag("dtc could not compile it");
    diag_reset();
    size_t size = 0;
    assert_null(dtc_compile("/nonexistent/sys.dts", &size));
    assert_string_equal(diag_get(0), "/nonexistent/sys.dts: cannot read: No such file or directory");
}

/* verifies: CFG-1 */
static void test_kconfig(void **state)
{
    (void)state;
    struct kconf k;
    diag_reset();
    assert_true(kconfig_parse(".config",
                              "# comment\nCONFIG_MAX_CELL_HARTS=4\nCONFIG_MAX_CELLS=2\nCONFIG_MAX_CELL_REGIONS=3\n"
                              "CONFIG_MAX_CELL_DEVICES=1\nCONFIG_MAX_CELL_IRQS=5\nCONFIG_FAULT_POLICY_RESTART=y\n"
                              "# CONFIG_FAULT_POLICY_STOP is not set\nCONFIG_CONSOLE_SWITCH_KEY=0x1\n",
                              &k));
    assert_int_equal(k.max_cell_harts, 4);
    assert_int_equal(k.max_cells, 2);
    assert_int_equal(k.max_regions, 3);
    assert_int_equal(k.max_devices, 1);
    assert_int_equal(k.max_irqs, 5);
    assert_int_equal(k.fault_default, FAULT_RESTART);
    assert_int_equal(k.console_switch_key, 1);
    tl_expect_no_diag();

    assert_false(kconfig_parse(".config", "CONFIG_MAX_CELL_HARTS=0\nCONFIG_MAX_CELLS=x\r\n", &k));
    assert_string_equal(diag_get(0), ".config: CONFIG: MAX_CELL_HARTS: \"0\" is not a number in 1..64");
    assert_string_equal(diag_get(1), ".config: CONFIG: MAX_CELLS: \"x\" is not a number in 1..64");
    tl_expect_diag(".config: CONFIG: MAX_CELL_REGIONS: missing");
    tl_expect_diag(".config: CONFIG: MAX_CELL_IRQS: missing");
    diag_reset();
    assert_false(kconfig_load("/nonexistent/.config", &k));
    tl_expect_diag("/nonexistent/.config: cannot read");
}

/* verifies: CFG-1 */
static void test_kconfig_defaults(void **state)
{
    (void)state;
    struct kconf k;
    diag_reset();
    assert_true(kconfig_parse("c",
                              "CONFIG_MAX_CELL_HARTS=8\nCONFIG_MAX_CELLS=4\nCONFIG_MAX_CELL_REGIONS=8\n"
                              "CONFIG_MAX_CELL_DEVICES=8\nCONFIG_MAX_CELL_IRQS=16",
                              &k));
    assert_int_equal(k.fault_default, FAULT_STOP);
    assert_int_equal(k.console_switch_key, 0x14);
    assert_false(kconfig_parse("c", "CONFIG_CONSOLE_SWITCH_KEY=0x20\n", &k));
    tl_expect_diag("c: CONFIG: CONSOLE_SWITCH_KEY: \"0x20\" is not a control character");
}

/* verifies: CFG-1 */
static void test_platform(void **state)
{
    (void)state;
    struct platform p;
    tl_platform(&p);
    assert_string_equal(p.name, "qemu-virt");
    assert_int_equal(p.num_harts, 4);
    assert_int_equal(p.hart_limit, 4);
    assert_int_equal(p.ram.base, 0x80000000ULL);
    assert_int_equal(p.ram.size, 0x80000000ULL);
    assert_int_equal(p.firmware.base, 0x80000000ULL);
    assert_int_equal(p.firmware.size, 0x200000ULL);
    assert_int_equal(p.plic.base, 0xc000000ULL);
    assert_int_equal(p.plic.size, 0x600000ULL);
    assert_int_equal(p.plic_ndev, 95);
    assert_int_equal(p.timebase, 10000000);
    assert_true(p.uart_dev >= 0);
    assert_string_equal(p.devs[p.uart_dev].name, "serial@10000000");
    assert_int_equal(p.devs[p.uart_dev].irqs[0], 10);
    assert_non_null(p.devs[p.uart_dev].owner);

    int v8 = platform_find_dev(&p, "virtio_mmio@10008000");
    assert_true(v8 >= 0);
    assert_null(p.devs[v8].owner);
    assert_int_equal(p.devs[v8].num_irqs, 1);
    assert_int_equal(p.devs[v8].irqs[0], 8);
    assert_int_equal(p.devs[v8].regs[0].base, 0x10008000ULL);
    /* ACLINT (docs: the hypervisor's IPIs); the SSWI and MSWI are interrupt controllers */
    const char *kept[] = {"plic@c000000", "mtimer@2004000", "mswi@2000000",
                          "sswi@2f00000", "test@100000",    "pci@30000000"};
    for (size_t i = 0; i < 6; i++) {
        int d = platform_find_dev(&p, kept[i]);
        assert_true(d >= 0);
        assert_non_null(p.devs[d].owner);
    }
    assert_int_equal(platform_find_dev(&p, "fw-cfg@10100000"), -1); /* not under /soc */
    /* bus masters (DMA): the eight virtio-mmio slots and the PCI host bridge, nothing else */
    unsigned masters = 0;
    for (unsigned i = 0; i < p.num_devs; i++) {
        bool virtio = strncmp(p.devs[i].name, "virtio_mmio@", strlen("virtio_mmio@")) == 0;
        assert_true(p.devs[i].bus_master == (virtio || strcmp(p.devs[i].name, "pci@30000000") == 0));
        masters += p.devs[i].bus_master ? 1U : 0U;
    }
    assert_int_equal(masters, 9);
    assert_int_equal(platform_find_hart(&p, 3), 3);
    assert_int_equal(platform_find_hart(&p, 4), -1);

    /* MMIO outside /soc and bus windows are known too */
    bool fwcfg = false;
    bool pciwin = false;
    for (unsigned m = 0; m < p.num_mmio; m++) {
        fwcfg = fwcfg || (p.mmio[m].r.base == 0x10100000ULL && p.mmio[m].dev < 0);
        pciwin = pciwin || (p.mmio[m].r.base == 0x40000000ULL && p.mmio[m].r.size == 0x40000000ULL);
    }
    assert_true(fwcfg);
    assert_true(pciwin);
    platform_free(&p);
}

/* verifies: CFG-1 */
static void test_platform_errors(void **state)
{
    (void)state;
    struct platform p;
    diag_reset();
    void *fdt = tl_compile("/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; compatible = \"x\";\n"
                           " cpus { #address-cells = <1>; #size-cells = <0>; timebase-frequency = <100>;\n"
                           "  cpu@0 { device_type = \"cpu\"; reg = <0>; riscv,isa-extensions = \"i\"; }; };\n"
                           " memory@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000000>; };\n"
                           "};\n");
    assert_non_null(fdt);
    assert_false(platform_parse("plat.dts", fdt, &p));
    assert_string_equal(diag_get(0),
                        "plat.dts: /reserved-memory: reg: exactly one reserved range (the firmware's) is supported");
    platform_free(&p);
}

/* The ACLINT SSWI's i-th register is the hart of its i-th interrupts-extended entry. */
/* verifies: BOOT-5 */
static void test_platform_sswi(void **state)
{
    struct platform p;
    (void)state;
    tl_platform(&p);
    assert_int_equal(p.num_harts, 4);
    for (unsigned h = 0; h < p.num_harts; h++) {
        assert_int_equal(p.harts[h].sswi, 0x2f00000U + (4U * p.harts[h].id));
    }
    platform_free(&p);
    /* reg too small for four harts: refused, never a register of another device */
    assert_false(tl_platform_try_amended("&{/soc/sswi@2f00000} { reg = <0x0 0x2f00000 0x0 0x8>; };", &p));
    assert_int_equal(diag_count(), 1);
    assert_string_equal(diag_get(0), "plat.dts: sswi@2f00000: interrupts-extended: an ACLINT SSWI needs one reg "
                                     "and a <cpu-intc 1> pair per hart that fits in it");
    platform_free(&p);
    diag_reset();
    /* a platform without one: every IPI through the firmware */
    tl_platform_amended("/ { soc { /delete-node/ sswi@2f00000; }; };", &p);
    for (unsigned h = 0; h < p.num_harts; h++) {
        assert_int_equal(p.harts[h].sswi, 0U);
    }
    platform_free(&p);
}

/* The AIA platform: no PLIC, an IMSIC supervisor file per hart by hart id, the S-level APLIC's sources. */
/* verifies: CFG-14 */
static void test_platform_aia(void **state)
{
    struct platform p;
    (void)state;
    assert_true(tl_platform_file_try_amended(TL_PLATFORM_AIA, "", &p));
    assert_int_equal(p.irqchip, IRQCHIP_AIA);
    assert_int_equal(p.aplic.base, 0xd000000ULL);
    assert_int_equal(p.aplic.size, 0x8000ULL);
    assert_int_equal(p.imsic.base, 0x28000000ULL);
    assert_int_equal(p.imsic_guest_bits, 1);
    assert_int_equal(p.imsic_ids, 255);
    assert_int_equal(p.plic_ndev, 96);
    assert_int_equal(p.intc_cells, 2);
    for (unsigned h = 0; h < p.num_harts; h++) {
        assert_int_equal(p.harts[h].imsic, 0x28000000ULL + (0x2000ULL * p.harts[h].id)); /* S file + 1 guest file */
        assert_int_equal(p.harts[h].sswi, 0U);
    }
    /* the vPLIC of PLIC-only cells: where QEMU puts a PLIC, one M and one S context per hart */
    assert_int_equal(p.plic.base, 0xc000000ULL);
    assert_int_equal(p.plic.size, 0x208000ULL);
    /* <source type> pairs: the source only */
    assert_int_equal(p.devs[p.uart_dev].num_irqs, 1);
    assert_int_equal(p.devs[p.uart_dev].irqs[0], 10);
    int v8 = platform_find_dev(&p, "virtio_mmio@10008000");
    assert_int_equal(p.devs[v8].num_irqs, 1);
    assert_int_equal(p.devs[v8].irqs[0], 8);
    const char *kept[] = {"interrupt-controller@c000000", "interrupt-controller@d000000",
                          "interrupt-controller@24000000", "interrupt-controller@28000000"};
    for (size_t i = 0; i < 4; i++) {
        int d = platform_find_dev(&p, kept[i]);
        assert_true(d >= 0);
        assert_non_null(p.devs[d].owner);
    }
    platform_free(&p);

    /* files out of hart order: an MSI target names a hart by its index */
    assert_false(tl_platform_file_try_amended(
        TL_PLATFORM_AIA, "&{/soc/interrupt-controller@28000000} { interrupts-extended = <6 9 8 9 4 9 2 9>; };", &p));
    assert_string_equal(diag_get(0), "plat.dts: interrupt-controller@28000000: interrupts-extended: entry 0 is not "
                                     "<cpu-intc 9> of hart 0: the hypervisor names MSI targets by hart id");
    platform_free(&p);
    /* a region too small for the files of four harts */
    assert_false(tl_platform_file_try_amended(
        TL_PLATFORM_AIA, "&{/soc/interrupt-controller@28000000} { reg = <0x0 0x28000000 0x0 0x6000>; };", &p));
    assert_string_equal(diag_get(0), "plat.dts: interrupt-controller@28000000: reg: 0x6000 bytes hold no interrupt "
                                     "files of hart 3 (8192 bytes each)");
    platform_free(&p);
    /* more sources than identities: source s is sent as identity s */
    assert_false(tl_platform_file_try_amended(
        TL_PLATFORM_AIA, "&{/soc/interrupt-controller@d000000} { riscv,num-sources = <300>; };", &p));
    assert_string_equal(diag_get(0), "plat.dts: interrupt-controller@d000000: riscv,num-sources: missing or not "
                                     "1..1023 and at most the IMSIC's riscv,num-ids (255): source s is sent as "
                                     "identity s");
    platform_free(&p);
    assert_false(tl_platform_file_try_amended(
        TL_PLATFORM_AIA, "&{/soc/interrupt-controller@28000000} { riscv,guest-index-bits = <4>; };", &p));
    assert_string_equal(diag_get(0), "plat.dts: interrupt-controller@28000000: riscv,guest-index-bits: 4 is not 0..3 "
                                     "(at most 7 guest interrupt files)");
    platform_free(&p);
}

/* verifies: CFG-1, CFG-3 */
static void test_platform_hart_limit(void **state)
{
    (void)state;
    struct platform p;
    /* 1023 is the highest id below the hypervisor's limit; ids past 64 are fine */
    tl_platform_amended(
        "&{/cpus} { cpu@3ff { device_type = \"cpu\"; reg = <0x3ff>; riscv,isa-extensions = \"i\"; }; };", &p);
    assert_int_equal(p.hart_limit, 1024);
    platform_free(&p);
    assert_false(tl_platform_try_amended(
        "&{/cpus} { cpu@400 { device_type = \"cpu\"; reg = <0x400>; riscv,isa-extensions = \"i\"; }; };", &p));
    assert_int_equal(diag_count(), 1);
    assert_string_equal(
        diag_get(0), "plat.dts: cpu@400: reg: hart id 0x400 (1024) is not below 1024, the hypervisor's hart id limit");
    platform_free(&p);
    diag_reset();
}

/* verifies: CFG-1, ISO-DMA-1 */
static void test_platform_bus_master(void **state)
{
    (void)state;
    struct platform p;
    tl_platform_amended("&{/soc/rtc@101000} { bulkhead,bus-master; };", &p);
    assert_true(p.devs[platform_find_dev(&p, "rtc@101000")].bus_master);
    platform_free(&p);
    assert_false(tl_platform_try_amended("&{/soc/rtc@101000} { bulkhead,bus-master = <1>; };", &p));
    assert_int_equal(diag_count(), 1);
    assert_string_equal(diag_get(0),
                        "plat.dts: /soc/rtc@101000: bulkhead,bus-master: must be empty (a flag), not a value");
    platform_free(&p);
    /* a virtio-mmio transport always does DMA: forgetting the mark is an error, not "no DMA" */
    assert_false(
        tl_platform_try_amended("&{/soc/virtio_mmio@10003000} { /delete-property/ bulkhead,bus-master; };", &p));
    assert_int_equal(diag_count(), 1);
    assert_string_equal(diag_get(0), "plat.dts: /soc/virtio_mmio@10003000: bulkhead,bus-master: missing: a "
                                     "virtio-mmio device does DMA; mark it `bulkhead,bus-master;`");
    platform_free(&p);
    diag_reset();
}

/* verifies: CFG-1 */
static void test_cell_defaults(void **state)
{
    (void)state;
    struct sys s;
    tl_system(one_cell, &s);
    tl_expect_no_diag();
    assert_string_equal(s.model, "test");
    assert_true(s.has_hyp);
    assert_int_equal(s.hyp.base, 0x80200000ULL);
    assert_int_equal(s.num_cells, 1);
    const struct cell *c = &s.cells[0];
    assert_string_equal(c->name, "a");
    assert_int_equal(c->num_harts, 1);
    assert_int_equal(c->harts[0], 1);
    assert_int_equal(c->entry, 0x80200000ULL); /* defaults to image-address */
    assert_false(c->has_dtb_address);
    assert_int_equal(c->console, CONSOLE_NS16550);
    assert_int_equal(c->fault, FAULT_STOP);
    assert_null(c->bootargs);
    assert_int_equal(c->num_devices, 0);
    assert_int_equal(c->dma, DMA_NONE);
    assert_false(c->dma_set);
    assert_int_equal(c->num_regions, 1);
    assert_int_equal(c->regions[0].access, BH_ACCESS_R | BH_ACCESS_W | BH_ACCESS_X);
    assert_true(c->regions[0].valid);
    sysconf_free(&s);
}

/* verifies: CFG-1 */
static void test_cell_properties(void **state)
{
    (void)state;
    struct sys s;
    tl_system("  my-cell@1 { harts = <2 3>; image = \"img4k\"; image-address = <0x80200000>;\n"
              "   entry = <0x0 0x80200100>; dtb-address = <0x0 0x80100000>; bootargs = \"console=hvc0\";\n"
              "   console = \"sbi\"; fault-policy = \"restart\"; devices = \"virtio_mmio@10001000\", \"rtc@101000\"; "
              "dma = \"unconfined\";\n"
              "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;\n"
              "     size = <0x0 0x1000000>; access = \"xr\"; }; };\n",
              &s);
    tl_expect_no_diag();
    const struct cell *c = &s.cells[0];
    assert_string_equal(c->ident, "my_cell_1");
    assert_int_equal(c->num_harts, 2);
    assert_int_equal(c->harts[1], 3);
    assert_int_equal(c->image_address, 0x80200000ULL);
    assert_int_equal(c->entry, 0x80200100ULL);
    assert_true(c->has_dtb_address);
    assert_int_equal(c->dtb_address, 0x80100000ULL);
    assert_string_equal(c->bootargs, "console=hvc0");
    assert_int_equal(c->console, CONSOLE_SBI);
    assert_int_equal(c->fault, FAULT_RESTART);
    assert_int_equal(c->num_devices, 2);
    assert_string_equal(c->devices[1], "rtc@101000");
    assert_int_equal(c->dma, DMA_UNCONFINED);
    assert_int_equal(c->regions[0].access, BH_ACCESS_R | BH_ACCESS_X);
    sysconf_free(&s);
}

/* verifies: CFG-1 */
static void test_access_strings(void **state)
{
    (void)state;
    const char *bad[] = {"w", "wx", "", "rwxx", "rr", "rwz", "R"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sys s;
        char *cell =
            xasprintf("  a { harts = <1>; image = \"img4k\"; image-address = <0x0 0x80200000>;\n"
                      "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;\n"
                      "     size = <0x0 0x1000000>; access = \"%s\"; }; };\n",
                      bad[i]);
        tl_system(cell, &s);
        free(cell);
        tl_expect_diag("cell 'a': memory@80000000/access: ");
        tl_expect_diag("is not a subset of \"rwx\" that includes 'r'");
        assert_false(s.cells[0].regions[0].valid);
        sysconf_free(&s);
    }
}

/* verifies: CFG-1, ISO-DMA-1 */
static void test_dma_values(void **state)
{
    (void)state;
    const char *bad[] = {"dma = \"iommu\";", "dma = \"Unconfined\";", "dma = \"\";", "dma = <1>;",
                         "dma = \"unconfined\", \"x\";"};
    const char *msg[] = {
        "test.dts: cell 'a': dma: \"iommu\" is not \"unconfined\", the only value (confining DMA with an IOMMU is "
        "not supported yet)",
        "test.dts: cell 'a': dma: \"Unconfined\" is not \"unconfined\", the only value (confining DMA with an "
        "IOMMU is not supported yet)",
        "test.dts: cell 'a': dma: \"\" is not \"unconfined\", the only value (confining DMA with an IOMMU is not "
        "supported yet)",
        "test.dts: cell 'a': dma: must be one string: \"unconfined\"",
        "test.dts: cell 'a': dma: must be one string: \"unconfined\"",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sys s;
        char *cell =
            xasprintf("  a { harts = <1>; image = \"img4k\"; image-address = <0x0 0x80200000>; %s\n"
                      "   memory@80000000 { guest-address = <0x0 0x80000000>; host-address = <0x0 0x88000000>;\n"
                      "     size = <0x0 0x1000000>; access = \"rwx\"; }; };\n",
                      bad[i]);
        tl_system(cell, &s);
        free(cell);
        assert_int_equal(diag_count(), 1);
        assert_string_equal(diag_get(0), msg[i]);
        assert_int_equal(s.cells[0].dma, DMA_NONE);
        assert_true(s.cells[0].dma_set); /* so that validate_dma adds no second line */
        sysconf_free(&s);
    }
}

/* verifies: CFG-1 */
static void test_shape_errors(void **state)
{
    (void)state;
    struct sys s;
    tl_system("  a { harts = <>; image = \"../x\"; image-address = <1 2 3>; entry = \"x\"; console = \"uart\";\n"
              "   fault-policy = \"halt\"; bootargs = \"a\", \"b\"; fault_policy = \"stop\";\n"
              "   memory@80000000 { guest-address = <0x0 0x80000000>; size = <0x0 0x1000>; acess = \"r\"; };\n"
              "   ram { }; };\n",
              &s);
    assert_string_equal(diag_get(0), "test.dts: cell 'a': fault_policy: unknown property");
    tl_expect_diag("test.dts: cell 'a': harts: must be a non-empty list of 32-bit hart ids");
    tl_expect_diag("test.dts: cell 'a': image: \"../x\" must be a plain name, without '/' or a leading '.'");
    tl_expect_diag("test.dts: cell 'a': image-address: must be a 64-bit number <hi lo>");
    tl_expect_diag("test.dts: cell 'a': entry: must be a 64-bit number <hi lo>");
    tl_expect_diag("test.dts: cell 'a': console: \"uart\" is not one of \"ns16550\", \"sbi\"");
    tl_expect_diag("test.dts: cell 'a': fault-policy: \"halt\" is not one of \"stop\", \"restart\"");
    tl_expect_diag("test.dts: cell 'a': bootargs: must be one string");
    tl_expect_diag("test.dts: cell 'a': memory@80000000/acess: unknown property");
    tl_expect_diag("test.dts: cell 'a': memory@80000000/host-address: missing: a 64-bit number <hi lo>");
    tl_expect_diag("test.dts: cell 'a': memory@80000000/access: missing");
    tl_expect_diag("test.dts: cell 'a': ram: unknown node (RAM regions are named memory@<guest-address>, PCI "
                   "functions pci@<bus>,<device>,<function>)");
    sysconf_free(&s);
}

/* verifies: CFG-1 */
static void test_missing_everything(void **state)
{
    (void)state;
    struct sys s;
    tl_system("  a { };\n", &s);
    tl_expect_diag("test.dts: cell 'a': harts: missing");
    tl_expect_diag("test.dts: cell 'a': image: missing");
    tl_expect_diag("test.dts: cell 'a': image-address: missing");
    tl_expect_diag("test.dts: cell 'a': memory: no RAM region");
    sysconf_free(&s);
}

/* verifies: CFG-1 */
static void test_root_errors(void **state)
{
    (void)state;
    struct sys s;
    diag_reset();
    void *fdt = tl_compile("/dts-v1/;\n/ { compatible = \"foo\"; bulkhead,platform = \"sifive-u\"; typo = <1>;\n"
                           " hypervisor { reg = <0x80200000 0x200000>; }; extra { }; cells { }; };\n");
    assert_non_null(fdt);
    assert_false(sysconf_parse("sys.dts", fdt, "qemu-virt", FAULT_STOP, &s));
    tl_expect_diag("sys.dts: /: typo: unknown property");
    tl_expect_diag("sys.dts: /: extra: unknown node (expected hypervisor, cells and channels)");
    tl_expect_diag("sys.dts: /: compatible: must be \"bulkhead,system\" (got \"foo\")");
    tl_expect_diag("sys.dts: /: model: missing");
    tl_expect_diag("sys.dts: /: bulkhead,platform: \"sifive-u\" does not match the platform given (\"qemu-virt\")");
    tl_expect_diag("sys.dts: hypervisor: reg: must be <base-hi base-lo size-hi size-lo> (4 cells)");
    tl_expect_diag("sys.dts: /cells: node: no cell defined");
    sysconf_free(&s);
}

/* verifies: CFG-2 */
static void test_ident(void **state)
{
    (void)state;
    char *id = sysconf_ident("linux-1@2,x.y+z");
    assert_string_equal(id, "linux_1_2_x_y_z");
    free(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fdt_read),
        cmocka_unit_test(test_dtc_errors_name_the_file),
        cmocka_unit_test(test_kconfig),
        cmocka_unit_test(test_kconfig_defaults),
        cmocka_unit_test(test_platform),
        cmocka_unit_test(test_platform_errors),
        cmocka_unit_test(test_platform_aia),
        cmocka_unit_test(test_platform_hart_limit),
        cmocka_unit_test(test_platform_bus_master),
        cmocka_unit_test(test_cell_defaults),
        cmocka_unit_test(test_cell_properties),
        cmocka_unit_test(test_access_strings),
        cmocka_unit_test(test_dma_values),
        cmocka_unit_test(test_shape_errors),
        cmocka_unit_test(test_missing_everything),
        cmocka_unit_test(test_root_errors),
        cmocka_unit_test(test_ident),
        cmocka_unit_test(test_platform_sswi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
