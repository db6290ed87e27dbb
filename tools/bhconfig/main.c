/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bhconfig: the host config compiler (docs/architecture.md "Build time").
 * Reads the system config, the platform DT and .config, validates all of it
 * against the rules of docs/config.md, and only if nothing is wrong writes
 * the generated tables, guest DTBs, memory map and system.json into --out.
 * Exit status: 0 written, 1 configuration errors (nothing written), 2 usage.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellmap.h"
#include "diag.h"
#include "emit.h"
#include "guestdt.h"
#include "images.h"
#include "kconfig.h"
#include "layout.h"
#include "outdir.h"
#include "platform.h"
#include "sysconf.h"
#include "util.h"
#include "validate.h"

struct options {
    const char *system;
    const char *platform;
    const char *kconfig;
    const char *image_dir;
    const char *out;
    int list_images;
};

static void usage(FILE *f)
{
    (void)fputs("usage: bhconfig --system configs/X.dts --platform dts/P.dts --kconfig build/X/.config\n"
                "                --image-dir build/images --out build/X\n"
                "       bhconfig --system configs/X.dts --list-images\n"
                "Validates a Bulkhead system config and generates gen/config.h, gen/cells.c,\n"
                "gen/gstage.c, gen/images.S, cells/<cell>.dtb, memory-map.txt and system.json\n"
                "in the --out directory. On any configuration error it prints one line per\n"
                "problem, writes nothing and exits 1. See docs/config.md.\n",
                f);
}

static int parse_args(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"system", required_argument, NULL, 's'},  {"platform", required_argument, NULL, 'p'},
        {"kconfig", required_argument, NULL, 'k'}, {"image-dir", required_argument, NULL, 'i'},
        {"out", required_argument, NULL, 'o'},     {"list-images", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int ch;

    memset(o, 0, sizeof(*o));
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 's': o->system = optarg; break;
        case 'p': o->platform = optarg; break;
        case 'k': o->kconfig = optarg; break;
        case 'i': o->image_dir = optarg; break;
        case 'o': o->out = optarg; break;
        case 'l': o->list_images = 1; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || o->system == NULL ||
        (!o->list_images && (o->platform == NULL || o->kconfig == NULL || o->image_dir == NULL || o->out == NULL))) {
        usage(stderr);
        return 2;
    }
    return 0;
}

/* --list-images: what the Makefile must build before the real run. */
static int list_images(const char *system)
{
    struct sys s;

    if (!sysconf_load(system, NULL, FAULT_STOP, &s)) {
        diag_print(stderr);
        sysconf_free(&s);
        diag_reset();
        return 1;
    }
    for (unsigned i = 0; i < s.num_cells; i++) {
        bool seen = (s.cells[i].image == NULL);
        for (unsigned j = 0; j < i && !seen; j++) {
            seen = s.cells[j].image != NULL && strcmp(s.cells[j].image, s.cells[i].image) == 0;
        }
        if (!seen) {
            printf("%s\n", s.cells[i].image);
        }
    }
    sysconf_free(&s);
    diag_reset();
    return 0;
}

static int write_outputs(const struct options *o, struct emit_ctx *e)
{
    char abs[PATH_MAX];
    enum { NUM_GEN = 7 };
    struct sbuf text[NUM_GEN];
    void (*const gen[NUM_GEN])(const struct emit_ctx *, struct sbuf *) = {
        emit_config_h, emit_cells_c, emit_gstage_c, emit_images_s, emit_memmap, emit_json, emit_firmware_dtb};
    const char *names[NUM_GEN] = {"gen/config.h",   "gen/cells.c", "gen/gstage.c", "gen/images.S",
                                  "memory-map.txt", "system.json", "firmware.dtb"};
    const struct sys *s = e->s;
    size_t n = NUM_GEN + s->num_cells;
    struct outfile *files = xcalloc(n, sizeof(*files));

    if (!outdir_mkdirs(o->out) || realpath(o->out, abs) == NULL) {
        diag_line("%s: cannot use as output directory", o->out);
        free(files);
        return 1;
    }
    e->out_abs = abs;
    for (size_t i = 0; i < NUM_GEN; i++) {
        sbuf_init(&text[i]);
        gen[i](e, &text[i]);
        files[i] = (struct outfile){xstrdup(names[i]), text[i].data, text[i].len};
    }
    for (unsigned i = 0; i < s->num_cells; i++) {
        files[NUM_GEN + i] =
            (struct outfile){xasprintf("cells/%s.dtb", s->cells[i].name), s->cells[i].dtb, s->cells[i].dtb_size};
    }
    bool ok = outdir_commit(o->out, files, n);
    for (size_t i = 0; i < n; i++) {
        free(files[i].rel);
    }
    for (size_t i = 0; i < NUM_GEN; i++) {
        sbuf_free(&text[i]);
    }
    free(files);
    return ok ? 0 : 1;
}

/* Validate everything, in the order the error lines are printed. */
static void check(const struct options *o, struct sys *s, const struct platform *p, const struct kconf *k,
                  struct gs_tables *t, struct gs_stats *stats, struct hyp_layout *l)
{
    validate_harts(s, p, k);
    validate_devices(s, p, k);
    validate_dma(s, p);
    validate_pci(s, p);
    validate_memory(s, p, k);
    validate_channels(s, p);
    images_resolve(s, o->image_dir);
    for (unsigned i = 0; i < s->num_cells; i++) {
        s->cells[i].dtb = guestdt_build(p, s, &s->cells[i], &s->cells[i].dtb_size);
    }
    validate_boot(s);
    layout_code(s, p, k, l);
    bool mapped = cellmap_build(s, p, s->hyp.base + l->code_size, t, stats);
    layout_compute(s, s->hyp.base, t->num_pages, l);
    validate_hypervisor(s, p, k, l);
    validate_firmware(s, p, l);
    if (!mapped && diag_count() == 0U) {
        diag_line("%s: internal error: overlapping G-stage mappings passed validation", s->file);
    }
}

int main(int argc, char **argv)
{
    struct options o;
    struct platform p;
    struct kconf k;
    struct sys s;
    struct gs_tables t;
    struct hyp_layout l;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        return rc;
    }
    if (o.list_images) {
        return list_images(o.system);
    }
    bool kok = kconfig_load(o.kconfig, &k);
    bool pok = platform_load(o.platform, &p);
    if (!pok || !kok || !sysconf_load(o.system, p.name, k.fault_default, &s)) {
        if (pok && kok) {
            sysconf_free(&s); /* the part parsed before the tree turned out unusable */
        }
        diag_print(stderr);
        platform_free(&p);
        diag_reset();
        return 1;
    }
    struct gs_stats *stats = xcalloc(s.num_cells, sizeof(*stats));
    check(&o, &s, &p, &k, &t, stats, &l);
    if (diag_count() == 0U) {
        struct emit_ctx e = {&s, &p, &k, &t, stats, &l, NULL};
        rc = write_outputs(&o, &e);
    } else {
        rc = 1;
    }
    if (diag_count() == 0U) {
        diag_print_warnings(stderr); /* about the system just written */
    }
    diag_print(stderr);
    gs_free(&t);
    layout_free(&l);
    free(stats);
    sysconf_free(&s);
    platform_free(&p);
    diag_reset();
    return rc;
}
