/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The firmware (OpenSBI) must be able to start every hart the system uses: it
 * allocates per-hart state from a heap that lives in its reserved range, and
 * a hart it cannot allocate for never reaches the hypervisor (docs/limits.md,
 * "Booting 64 cells"). The platform states the count its firmware is known to start
 * (bulkhead,max-harts on the firmware's reserved-memory node); the system is
 * checked against it here, before anything is built.
 */
#include "diag.h"
#include "layout.h"
#include "validate.h"

void validate_firmware(const struct sys *s, const struct platform *p, const struct hyp_layout *l)
{
    unsigned seen = 0;
    uint32_t first_over = 0;

    if (p->firmware_max_harts == 0U) {
        return;
    }
    for (unsigned h = 0; h < p->num_harts; h++) {
        if (layout_firmware_sees(p, l, h)) {
            seen++;
            if (seen == p->firmware_max_harts + 1U) {
                first_over = p->harts[h].id;
            }
        }
    }
    if (seen > p->firmware_max_harts) {
        diag_at(s->file, "/cells", "harts",
                "the system needs %u harts started by the firmware (its cells' harts, the console hart and the boot "
                "hart); the firmware of platform %s starts at most %u (%s: %s bulkhead,max-harts), so hart 0x%x and "
                "those after it would never arrive",
                seen, p->name, p->firmware_max_harts, p->file, p->firmware_path, first_over);
    }
}
