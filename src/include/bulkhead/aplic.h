/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The supervisor-level APLIC domain in MSI delivery mode (RISC-V AIA spec
 * v1.0, ch. 4), programmed by the hypervisor only. Its sources were
 * delegated to it by the firmware's machine-level domain.
 */
#ifndef BULKHEAD_APLIC_H
#define BULKHEAD_APLIC_H

#include <stdint.h>

/* sourcecfg source modes (AIA spec 4.5.2) */
#define APLIC_SM_INACTIVE 0U
#define APLIC_SM_LEVEL1   6U /* level-sensitive, asserted high */

/* An MSI target (AIA spec 4.5.16): hart index, guest index (0: supervisor file), identity. */
static inline uint32_t aplic_msi_target(uint32_t hart, uint32_t guest, uint32_t eiid)
{
    return (hart << 18) | (guest << 12) | eiid;
}

static inline uint32_t aplic_target_hart(uint32_t target)
{
    return target >> 18;
}

/* domaincfg.IE with MSI delivery (4.5.1). */
void aplic_enable_domain(void);
void aplic_set_sourcecfg(uint32_t source, uint32_t mode);
uint32_t aplic_sourcecfg(uint32_t source);
void aplic_set_target(uint32_t source, uint32_t target);
uint32_t aplic_target(uint32_t source);
void aplic_set_enabled(uint32_t source, uint32_t on);
/* setipnum_le (4.5.14): pends the source again if it still requests (level, 4.9.2). */
void aplic_retrigger(uint32_t source);
/* clripnum (4.5.10): the source is no longer pending. */
void aplic_clear_pending(uint32_t source);
/* setip[word] (4.5.5) and in_clrip[word] (4.5.9): pending bits, rectified inputs of sources 32*word.. */
uint32_t aplic_pending_word(uint32_t word);
uint32_t aplic_input_word(uint32_t word);

#endif
