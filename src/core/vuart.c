/* SPDX-License-Identifier: Apache-2.0 */
#include "bulkhead/vuart.h"

/* PC16550D register offsets and bits. */
#define REG_RBR_THR_DLL 0U
#define REG_IER_DLM     1U
#define REG_IIR_FCR     2U
#define REG_LCR         3U
#define REG_MCR         4U
#define REG_LSR         5U
#define REG_MSR         6U
#define REG_SCR         7U

#define IER_ERBFI    VUART_IER_ERBFI
#define IER_ETBEI    VUART_IER_ETBEI
#define IIR_NONE     0x01U
#define IIR_THRE     0x02U
#define IIR_RX_DATA  0x04U
#define IIR_FIFO_ON  0xc0U
#define FCR_ENABLE   0x01U
#define FCR_CLEAR_RX 0x02U
#define LCR_DLAB     VUART_LCR_DLAB
#define LSR_DR       0x01U
#define LSR_THRE     0x20U
#define LSR_TEMT     0x40U
/* Modem status: CTS, DSR and DCD asserted, as a wired-up terminal line. */
#define MSR_LINES_UP 0xb0U

void vuart_reset(struct vuart *u)
{
    *u = (struct vuart){0};
}

static uint32_t read_iir(struct vuart *u, struct bh_rxq *rx)
{
    uint32_t fifo = 0U;
    uint32_t id = IIR_NONE;

    if ((u->fcr & FCR_ENABLE) != 0U) {
        fifo = IIR_FIFO_ON;
    }
    if (((u->ier & IER_ERBFI) != 0U) && (rxq_has_data(rx) != 0U)) {
        id = IIR_RX_DATA;
    } else if (((u->ier & IER_ETBEI) != 0U) && (u->thre_pending != 0U)) {
        u->thre_pending = 0U; /* reading IIR clears a THRE interrupt (PC16550D table 4) */
        id = IIR_THRE;
    } else {
        /* no interrupt pending */
    }
    return fifo | id;
}

uint32_t vuart_read(struct vuart *u, struct bh_rxq *rx, uint32_t offset)
{
    const uint8_t dlab = u->lcr & LCR_DLAB;
    uint32_t v = 0;

    switch (offset) {
    case REG_RBR_THR_DLL:
        if (dlab != 0U) {
            v = u->dll;
        } else {
            int c = rxq_get(rx);
            v = (c >= 0) ? (uint32_t)c : 0U;
        }
        break;
    case REG_IER_DLM: v = (dlab != 0U) ? u->dlm : u->ier; break;
    case REG_IIR_FCR: v = read_iir(u, rx); break;
    case REG_LCR: v = u->lcr; break;
    case REG_MCR: v = u->mcr; break;
    case REG_LSR:
        v = LSR_THRE | LSR_TEMT;
        if (rxq_has_data(rx) != 0U) {
            v |= LSR_DR;
        }
        break;
    case REG_MSR: v = MSR_LINES_UP; break;
    case REG_SCR: v = u->scr; break;
    default: v = 0; break;
    }
    return v;
}

int vuart_write(struct vuart *u, struct bh_rxq *rx, uint32_t offset, uint32_t value)
{
    const uint8_t dlab = u->lcr & LCR_DLAB;
    uint8_t b = (uint8_t)value;
    int tx = VUART_NO_TX;

    switch (offset) {
    case REG_RBR_THR_DLL: tx = vuart_write_thr(u, value); break;
    case REG_IER_DLM:
        if (dlab != 0U) {
            u->dlm = b;
        } else {
            /* Enabling ETBEI with THR empty raises the interrupt at once. */
            if (((u->ier & IER_ETBEI) == 0U) && ((b & IER_ETBEI) != 0U)) {
                u->thre_pending = 1U;
            }
            u->ier = b & 0x0fU;
        }
        break;
    case REG_IIR_FCR:
        u->fcr = b & FCR_ENABLE;
        if ((b & FCR_CLEAR_RX) != 0U) {
            rxq_clear(rx);
        }
        break;
    case REG_LCR: u->lcr = b; break;
    case REG_MCR: u->mcr = b; break;
    case REG_SCR: u->scr = b; break;
    default:
        /* LSR and MSR are read-only */
        break;
    }
    return tx;
}
