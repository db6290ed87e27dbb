/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few .config options the config compiler needs: table limits (which
 * size the arrays of src/include/bulkhead/cell_config.h), the default fault
 * policy and the console switch key (for system.json).
 */
#ifndef BHC_KCONFIG_H
#define BHC_KCONFIG_H

#include <stdbool.h>

#include "model.h"

/* Parse .config text; problems are reported against `file`. */
bool kconfig_parse(const char *file, const char *text, struct kconf *out);

/* Read and parse a .config file. */
bool kconfig_load(const char *file, struct kconf *out);

#endif
