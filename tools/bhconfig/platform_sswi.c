/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ACLINT SSWI devices ("riscv,aclint-sswi", RISC-V ACLINT spec, ch. 5): one
 * 4-byte SETSSIP register per hart, the i-th for the hart of the i-th entry
 * of interrupts-extended. Writing 1 raises that hart's supervisor software
 * interrupt, so the hypervisor sends its IPIs without the firmware.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "diag.h"
#include "fdt_read.h"
#include "platform.h"

#define SETSSIP_SIZE 4U

static bool parse_one(struct platform *p, int node)
{
    const char *name = fdt_get_name(p->fdt, node, NULL);
    struct range *r = NULL;
    int len = 0;
    const fdt32_t *ext = fdt_getprop(p->fdt, node, "interrupts-extended", &len);
    int nregs = fdtr_reg(p->fdt, node, &r);
    bool ok = (ext != NULL) && (nregs == 1) && ((len % 8) == 0);

    /* <phandle irq> pairs: the cpu interrupt controllers have no interrupt cells */
    for (int i = 0; ok && (i < (len / 8)); i++) {
        int64_t id = fdtr_hart_of_intc(p->fdt, fdt32_to_cpu(ext[(size_t)i * 2U]));
        int h = (id >= 0) ? platform_find_hart(p, (uint32_t)id) : -1;
        uint64_t at = r[0].base + ((uint64_t)i * SETSSIP_SIZE);
        if ((uint64_t)(i + 1) * SETSSIP_SIZE > r[0].size) {
            ok = false;
        } else if (h >= 0) {
            p->harts[h].sswi = at; /* a disabled hart's entry names no platform hart: skipped */
        }
    }
    if (!ok) {
        diag_at(p->file, name, "interrupts-extended",
                "an ACLINT SSWI needs one reg and a <cpu-intc 1> pair per hart that fits in it");
    }
    free(r);
    return ok;
}

bool platform_parse_sswi(struct platform *p)
{
    bool ok = true;
    int node = fdt_node_offset_by_compatible(p->fdt, -1, "riscv,aclint-sswi");

    while (node >= 0) {
        ok = parse_one(p, node) && ok;
        node = fdt_node_offset_by_compatible(p->fdt, node, "riscv,aclint-sswi");
    }
    return ok;
}
