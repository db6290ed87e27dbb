/* SPDX-License-Identifier: Apache-2.0 */
/* The supervisor-level APLIC domain's registers (RISC-V AIA spec v1.0, 4.5). */
#include "bulkhead/aplic.h"
#include "config.h"

#define APLIC_DOMAINCFG   0x0000U
#define APLIC_SOURCECFG   0x0004U /* sourcecfg[s] at 0x0004 + (s - 1) * 4 */
#define APLIC_SETIP       0x1c00U
#define APLIC_IN_CLRIP    0x1d00U
#define APLIC_CLRIPNUM    0x1ddcU
#define APLIC_SETIENUM    0x1edcU
#define APLIC_CLRIENUM    0x1fdcU
#define APLIC_SETIPNUM_LE 0x2000U
#define APLIC_TARGET      0x3004U /* target[s] at 0x3004 + (s - 1) * 4 */

#define DOMAINCFG_IE 0x100U
#define DOMAINCFG_DM 0x4U /* MSI delivery mode */

_Static_assert((uint64_t)BH_APLIC_BASE < 0x40000000UL, "MMIO is mapped as the first gigapage (mmu.c)");

static volatile uint32_t *reg(uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)((uint64_t)BH_APLIC_BASE + (uint64_t)offset);
}

void aplic_enable_domain(void)
{
    *reg(APLIC_DOMAINCFG) = DOMAINCFG_IE | DOMAINCFG_DM;
}

void aplic_set_sourcecfg(uint32_t source, uint32_t mode)
{
    *reg(APLIC_SOURCECFG + ((source - 1U) * 4U)) = mode;
}

uint32_t aplic_sourcecfg(uint32_t source)
{
    return *reg(APLIC_SOURCECFG + ((source - 1U) * 4U));
}

void aplic_set_target(uint32_t source, uint32_t target)
{
    *reg(APLIC_TARGET + ((source - 1U) * 4U)) = target;
}

uint32_t aplic_target(uint32_t source)
{
    return *reg(APLIC_TARGET + ((source - 1U) * 4U));
}

void aplic_set_enabled(uint32_t source, uint32_t on)
{
    *reg((on != 0U) ? APLIC_SETIENUM : APLIC_CLRIENUM) = source;
}

void aplic_retrigger(uint32_t source)
{
    *reg(APLIC_SETIPNUM_LE) = source;
}

void aplic_clear_pending(uint32_t source)
{
    *reg(APLIC_CLRIPNUM) = source;
}

uint32_t aplic_pending_word(uint32_t word)
{
    return *reg(APLIC_SETIP + (word * 4U));
}

uint32_t aplic_input_word(uint32_t word)
{
    return *reg(APLIC_IN_CLRIP + (word * 4U));
}
