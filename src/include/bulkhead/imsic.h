/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The executing hart's IMSIC supervisor interrupt file, reached through
 * its CSRs (RISC-V AIA spec v1.0, ch. 2 siselect/sireg/stopei, ch. 3).
 * Every function acts on the calling hart's own file.
 */
#ifndef BULKHEAD_IMSIC_H
#define BULKHEAD_IMSIC_H

#include <stdint.h>

/* Delivery on, threshold 0, identities 1..last enabled. */
void imsic_init_local(uint32_t last);
/*
 * The guest interrupt file hstatus.VGEIN selects, through vsiselect/vsireg
 * from HS-mode (AIA spec 2.3): delivery off, threshold 0, identities
 * 1..last neither pending nor enabled.
 */
void imsic_guest_file_clear(uint32_t last);
/* Claims the highest-priority pending and enabled identity (stopei); 0 if none. */
uint32_t imsic_claim(void);
/* Pends identity eiid in guest interrupt file `file` of hart `hart`, as a
 * device's MSI would: a write of its seteipnum_le (AIA spec 3.5). */
void imsic_send_guest(uint32_t hart, uint32_t file, uint32_t eiid);

#endif
