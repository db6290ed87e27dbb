/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the bhconfig unit tests: compile DTS text with dtc, load
 * the real QEMU virt platform, build a system model the way main.c does, and
 * look for diagnostics.
 */
#ifndef BHC_TESTLIB_H
#define BHC_TESTLIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model.h"

#ifndef BH_SOURCE_ROOT
#define BH_SOURCE_ROOT "."
#endif

#define TL_PLATFORM     BH_SOURCE_ROOT "/dts/qemu-virt.dts"
#define TL_PLATFORM_AIA BH_SOURCE_ROOT "/dts/qemu-virt-aia.dts"
#define TL_SYSTEM       "test.dts" /* the file name errors are reported against */

/* DTS text -> blob via dtc (written to a temporary file). */
void *tl_compile(const char *dts_text);

/* dts/qemu-virt.dts, parsed; fails the test if it does not parse. */
void tl_platform(struct platform *p);

/* dts/qemu-virt.dts with `amend` appended (e.g. "&{/soc/rtc@101000} { interrupts = <1>; };"). */
void tl_platform_amended(const char *amend, struct platform *p);

/* The same, for a platform that may be refused: platform_parse's result ("plat.dts" in messages). */
bool tl_platform_try_amended(const char *amend, struct platform *p);
/* The same with another platform file (e.g. TL_PLATFORM_AIA). */
bool tl_platform_file_try_amended(const char *file, const char *amend, struct platform *p);

/* The Kconfig defaults (MAX_CELL_HARTS 8, MAX_CELLS 4, ...). */
void tl_kconf(struct kconf *k);

/*
 * A system config with the standard header (compatible, model, platform,
 * hypervisor 0x80200000 + 62 MiB) and `cells` as the body of /cells.
 */
char *tl_system_text(const char *cells);

/* The same with `channels` (may be NULL) as the body of /channels. */
char *tl_system_text_with(const char *cells, const char *channels);

/* Parse tl_system_text(cells) into s; diagnostics are reset first. */
void tl_system(const char *cells, struct sys *s);

/* Parse tl_system_text_with(cells, channels) into s; diagnostics are reset first. */
void tl_system_with(const char *cells, const char *channels, struct sys *s);

/* Run every validation rule of main.c on s (images from the test image dir). */
void tl_validate_all(struct sys *s, const struct platform *p, const struct kconf *k);

/* Diagnostics: fail the test unless some line contains `needle`. */
void tl_expect_diag(const char *needle);
/* Fail the test if there is any diagnostic (printing them). */
void tl_expect_no_diag(void);

/* Directory with small images: BH_SOURCE_ROOT/tests/configs/images. */
#define TL_IMAGES BH_SOURCE_ROOT "/tests/configs/images"

#endif
