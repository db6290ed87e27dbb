/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform device tree (dts/<platform>.dts): harts, RAM, the firmware's
 * reserved memory, the PLIC or the AIA (APLIC and IMSICs), the console UART, the timebase, and every /soc
 * device with its MMIO and interrupts. Problems in it are reported against
 * the platform file and make the run fail.
 */
#ifndef BHC_PLATFORM_H
#define BHC_PLATFORM_H

#include <stdbool.h>

#include "model.h"

/* Parse a compiled platform blob (kept, not copied: p->fdt = fdt). */
bool platform_parse(const char *file, void *fdt, struct platform *p);

/* Run dtc on the .dts and parse it. */
bool platform_load(const char *file, struct platform *p);

void platform_free(struct platform *p);

/* Index of the /soc device called `name`, or -1. */
int platform_find_dev(const struct platform *p, const char *name);

/* Index of hart `id` in p->harts, or -1. */
int platform_find_hart(const struct platform *p, uint32_t id);

/* Internal to the platform parser (platform_dev.c, platform_sswi.c, platform_aia.c). */
bool platform_parse_devices(struct platform *p);
bool platform_parse_sswi(struct platform *p);
bool platform_parse_aia(struct platform *p);
bool platform_parse_pci(struct platform *p);

/* The platform source the INTx pin (1 = INTA#) of a function reaches through the bridge's interrupt-map, 0 if none. */
uint32_t platform_pci_intx(const struct platform *p, uint32_t bus, uint32_t dev, uint32_t fn, uint32_t pin);

#endif
