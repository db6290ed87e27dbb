/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compiling a .dts with the system's dtc, so that syntax errors are reported
 * by dtc itself against the file and line the user wrote.
 */
#ifndef BHC_DTC_H
#define BHC_DTC_H

#include <stddef.h>

/*
 * Run `dtc -q -I dts -O dtb <path>` and return the blob (malloc'd), or NULL
 * after adding a diagnostic (dtc's own messages go straight to stderr).
 * The blob is checked with fdt_check_header() before it is returned.
 */
void *dtc_compile(const char *path, size_t *size);

#endif
