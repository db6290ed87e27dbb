/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cellmap.h"
#include "diag.h"
#include "dtc.h"
#include "guestdt.h"
#include "images.h"
#include "layout.h"
#include "platform.h"
#include "sysconf.h"
#include "util.h"
#include "validate.h"

void *tl_compile(const char *dts_text)
{
    char path[] = "/tmp/bhconfig-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(dts_text);
    assert_int_equal(write(fd, dts_text, len), (ssize_t)len);
    close(fd);
    size_t size = 0;
    void *blob = dtc_compile(path, &size);
    unlink(path);
    return blob;
}

void tl_platform(struct platform *p)
{
    diag_reset();
    bool ok = platform_load(TL_PLATFORM, p);
    if (!ok) {
        diag_print(stderr);
    }
    assert_true(ok);
}

bool tl_platform_try_amended(const char *amend, struct platform *p)
{
    return tl_platform_file_try_amended(TL_PLATFORM, amend, p);
}

bool tl_platform_file_try_amended(const char *file, const char *amend, struct platform *p)
{
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    char *text = xcalloc(1, 65536);
    size_t n = fread(text, 1, 65535, f);
    fclose(f);
    assert_true(n > 0 && n < 65535);
    char *all = xasprintf("%s\n%s\n", text, amend);
    free(text);
    diag_reset();
    void *fdt = tl_compile(all);
    free(all);
    assert_non_null(fdt);
    return platform_parse("plat.dts", fdt, p);
}

void tl_platform_amended(const char *amend, struct platform *p)
{
    bool ok = tl_platform_try_amended(amend, p);
    if (!ok) {
        diag_print(stderr);
    }
    assert_true(ok);
}

void tl_kconf(struct kconf *k)
{
    memset(k, 0, sizeof(*k));
    k->file = ".config";
    k->max_cell_harts = 8;
    k->max_cells = 4;
    k->max_regions = 8;
    k->max_devices = 8;
    k->max_irqs = 16;
    k->fault_default = FAULT_STOP;
    k->console_switch_key = 0x14;
}

char *tl_system_text(const char *cells)
{
    return tl_system_text_with(cells, NULL);
}

char *tl_system_text_with(const char *cells, const char *channels)
{
    return xasprintf("/dts-v1/;\n/ {\n compatible = \"bulkhead,system\";\n model = \"test\";\n"
                     " bulkhead,platform = \"qemu-virt\";\n"
                     " hypervisor { reg = <0x0 0x80200000 0x0 0x03e00000>; };\n"
                     " cells {\n%s\n };\n%s%s%s};\n",
                     cells, (channels != NULL) ? " channels {\n" : "", (channels != NULL) ? channels : "",
                     (channels != NULL) ? "\n };\n" : "");
}

void tl_system(const char *cells, struct sys *s)
{
    tl_system_with(cells, NULL, s);
}

void tl_system_with(const char *cells, const char *channels, struct sys *s)
{
    char *text = tl_system_text_with(cells, channels);
    diag_reset();
    void *fdt = tl_compile(text);
    free(text);
    if (fdt == NULL) {
        diag_print(stderr);
    }
    assert_non_null(fdt);
    assert_true(sysconf_parse(TL_SYSTEM, fdt, "qemu-virt", FAULT_STOP, s));
}

void tl_validate_all(struct sys *s, const struct platform *p, const struct kconf *k)
{
    struct gs_tables t;
    struct hyp_layout l;

    validate_harts(s, p, k);
    validate_devices(s, p, k);
    validate_dma(s, p);
    validate_memory(s, p, k);
    validate_channels(s, p);
    images_resolve(s, TL_IMAGES);
    for (unsigned i = 0; i < s->num_cells; i++) {
        s->cells[i].dtb = guestdt_build(p, s, &s->cells[i], &s->cells[i].dtb_size);
    }
    validate_boot(s);
    layout_code(s, p, k, &l);
    (void)cellmap_build(s, p, s->hyp.base + l.code_size, &t, NULL);
    layout_compute(s, s->hyp.base, t.num_pages, &l);
    validate_hypervisor(s, p, k, &l);
    layout_free(&l);
    gs_free(&t);
}

void tl_expect_diag(const char *needle)
{
    for (unsigned i = 0; i < diag_count(); i++) {
        if (strstr(diag_get(i), needle) != NULL) {
            return;
        }
    }
    fprintf(stderr, "no diagnostic contains \"%s\"; got %u:\n", needle, diag_count());
    diag_print(stderr);
    fail();
}

void tl_expect_no_diag(void)
{
    if (diag_count() != 0U) {
        diag_print(stderr);
        fail_msg("%u unexpected diagnostics", diag_count());
    }
}
