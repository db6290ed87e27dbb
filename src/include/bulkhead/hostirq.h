/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The platform interrupt controller as the hypervisor uses it for its own
 * interrupts: the console UART and the device interrupts of cells whose
 * guests see the virtual PLIC. One implementation is built per platform,
 * chosen by the Makefile from the platform description:
 *   src/drivers/hostirq_plic.c  the PLIC, S-mode context of each hart;
 *   src/drivers/hostirq_aia.c   the APLIC's supervisor domain in MSI mode,
 *                               delivering to each hart's IMSIC supervisor file.
 * A source is routed to one hart at a time; a claimed source is not
 * forwarded again until it is completed (PLIC gateway; APLIC setipnum_le).
 */
#ifndef BULKHEAD_HOSTIRQ_H
#define BULKHEAD_HOSTIRQ_H

#include <stdint.h>

/* Once, on the boot hart: a source that some cell owns or the UART's, not yet routed. */
void hostirq_prepare_source(uint32_t source);
/* On each hart itself, once at boot: its receiving end (PLIC threshold; IMSIC file). */
void hostirq_init_local(uint32_t hartid);
/* Routes no source to the hart any more (a hart starting or a cell restarting). */
void hostirq_forget_hart(uint32_t hartid);
/* Routes the source to the hart. */
void hostirq_enable(uint32_t hartid, uint32_t source);
/* Stops routing the source to the hart (nothing if it goes elsewhere by now). */
void hostirq_disable(uint32_t hartid, uint32_t source);
/* On the hart itself: the highest pending source routed to it, now in service; 0 if none. */
uint32_t hostirq_claim(uint32_t hartid);
/* The source's service is over: it may be forwarded again if it still requests. */
void hostirq_complete(uint32_t hartid, uint32_t source);

/*
 * On the hart itself, before its vCPU (re)starts with hstatus.VGEIN = vgein:
 * that guest interrupt file back to its reset state, nothing pending or
 * enabled, so a restarted guest inherits no interrupt of its previous run.
 * Nothing on a platform without guest interrupt files (vgein is 0 there).
 */
void hostirq_guest_file_reset(uint32_t vgein);

#endif
