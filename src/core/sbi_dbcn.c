/* SPDX-License-Identifier: Apache-2.0 */
/* SBI DBCN debug console (SBI spec v2.0, ch. 12) on the cell's own console. */
#include "bulkhead/sbi.h"
#include "bulkhead/cell.h"
#include "bulkhead/console_in.h"
#include "bulkhead/console_out.h"
#include <stddef.h>

/* Bytes moved per call: the spec lets an implementation do fewer than asked,
 * and it bounds the time one exit can take. */
#define DBCN_MAX_CHUNK 256UL

static struct sbi_result transfer(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};
    uint64_t len = args[0];

    if (len > DBCN_MAX_CHUNK) {
        len = DBCN_MAX_CHUNK;
    }
    if (len == 0UL) {
        return r;
    }
    /* On RV64 base_addr_lo holds the whole address; the high word must be 0 (SBI 12.1). */
    if (args[2] != 0UL) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    uint8_t *buf =
        bh_cell_guest_ptr(h->cell, args[1], len, (fid == SBI_DBCN_CONSOLE_WRITE) ? BH_ACCESS_R : BH_ACCESS_W);
    if (buf == NULL) {
        r.error = SBI_ERR_INVALID_PARAM;
        return r;
    }
    if (fid == SBI_DBCN_CONSOLE_WRITE) {
        bh_console_cell_write(h->cell, buf, (size_t)len);
        r.value = len;
    } else {
        uint64_t n = 0;
        for (int c = bh_console_cell_getc(h->cell); c >= 0; c = bh_console_cell_getc(h->cell)) {
            buf[n] = (uint8_t)c;
            n++;
            if (n == len) {
                break;
            }
        }
        r.value = n;
    }
    return r;
}

struct sbi_result bh_sbi_dbcn(struct bh_hart *h, uint64_t fid, const uint64_t *args)
{
    struct sbi_result r = {SBI_SUCCESS, 0};

    switch (fid) {
    case SBI_DBCN_CONSOLE_WRITE:
    case SBI_DBCN_CONSOLE_READ: r = transfer(h, fid, args); break;
    case SBI_DBCN_CONSOLE_WRITE_BYTE: bh_console_output_putc(h->console_output, h->cell, (char)args[0]); break;
    default: r.error = SBI_ERR_NOT_SUPPORTED; break;
    }
    return r;
}
