/* SPDX-License-Identifier: Apache-2.0 */
/* Host unit tests of the emulated NS16550 (src/core/vuart.c) against the
 * PC16550D register semantics a guest driver relies on, with the receive
 * queue (src/core/rxq.c) handed in as the hypervisor does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bulkhead/vuart.h"

/* Register offsets and bits as the PC16550D data sheet numbers them, written
 * out here rather than taken from vuart.c so a wrong constant there fails. */
#define RBR 0U
#define THR 0U
#define DLL 0U
#define IER 1U
#define DLM 1U
#define IIR 2U
#define FCR 2U
#define LCR 3U
#define MCR 4U
#define LSR 5U
#define MSR 6U
#define SCR 7U

#define LSR_DR     0x01U
#define LSR_THRE   0x20U
#define LSR_TEMT   0x40U
#define IER_ERBFI  0x01U
#define IER_ETBEI  0x02U
#define IIR_NO_INT 0x01U
#define IIR_THRE   0x02U
#define IIR_RDA    0x04U
#define IIR_FIFOS  0xc0U
#define LCR_DLAB   0x80U

static struct vuart u;
static struct bh_rxq rx;

static int setup(void **state)
{
    (void)state;
    vuart_reset(&u);
    memset(&rx, 0, sizeof(rx));
    return 0;
}

static uint32_t rd(uint32_t off)
{
    return vuart_read(&u, &rx, off);
}

static int wr(uint32_t off, uint32_t value)
{
    return vuart_write(&u, &rx, off, value);
}

/* verifies: CON-9 */
static void test_lsr_tracks_receive_queue(void **state)
{
    (void)state;
    /* Transmit is instant: THR and the shift register are always empty. */
    assert_int_equal(rd(LSR), LSR_THRE | LSR_TEMT);
    assert_int_equal(rxq_put(&rx, 'a'), 1);
    assert_int_equal(rxq_put(&rx, 'b'), 1);
    assert_int_equal(rd(LSR), LSR_THRE | LSR_TEMT | LSR_DR);
    assert_int_equal(rd(RBR), 'a');
    assert_int_equal(rd(LSR) & LSR_DR, LSR_DR);
    assert_int_equal(rd(RBR), 'b');
    assert_int_equal(rd(LSR), LSR_THRE | LSR_TEMT);
    /* An empty receiver reads 0 and stays empty. */
    assert_int_equal(rd(RBR), 0);
    assert_int_equal(rd(LSR) & LSR_DR, 0);
}

/* verifies: CON-9 */
static void test_thr_write_is_transmitted(void **state)
{
    (void)state;
    assert_int_equal(wr(THR, 'x'), 'x');
    assert_int_equal(wr(THR, 0x1ffU), 0xff); /* byte registers: the upper bits are not wired */
    assert_int_equal(rd(LSR) & LSR_THRE, LSR_THRE);
    /* Writes to other registers transmit nothing. */
    assert_int_equal(wr(SCR, 'y'), VUART_NO_TX);
    assert_int_equal(wr(LSR, 0), VUART_NO_TX);
}

/* The THR write of the polled-transmit fast path (mmio_vuart.c) is vuart_write's:
 * a byte to transmit with DLAB clear, the divisor latch with it set; with IER 0
 * the interrupt level stays 0 whatever the receive queue holds. */
/* verifies: CON-9 */
static void test_thr_write_alone_matches(void **state)
{
    (void)state;
    struct vuart w = u;
    assert_int_equal(rxq_put(&rx, 'a'), 1);
    assert_int_equal(vuart_write_thr(&u, 0x141U), wr(THR, 0x141U) & 0xff);
    assert_int_equal(vuart_write(&w, &rx, THR, 0x141U), 0x41);
    assert_memory_equal(&u, &w, sizeof(u));
    assert_int_equal(vuart_irq_level(&u, &rx), 0);
    wr(LCR, 0x80U);
    w = u;
    assert_int_equal(vuart_write_thr(&u, 0x0cU), VUART_NO_TX);
    assert_int_equal(vuart_write(&w, &rx, THR, 0x0cU), VUART_NO_TX);
    assert_memory_equal(&u, &w, sizeof(u));
    assert_int_equal(u.dll, 0x0cU);
}

/* verifies: CON-9 */
static void test_receive_interrupt_follows_ier_and_data(void **state)
{
    (void)state;
    assert_int_equal(rxq_put(&rx, 'q'), 1);
    /* Data but ERBFI off: no interrupt. */
    assert_int_equal(vuart_irq_level(&u, &rx), 0);
    assert_int_equal(rd(IIR), IIR_NO_INT);
    wr(IER, IER_ERBFI);
    assert_int_equal(rd(IER), IER_ERBFI);
    assert_int_equal(vuart_irq_level(&u, &rx), 1);
    assert_int_equal(rd(IIR), IIR_RDA);
    /* Reading the data clears the condition, not reading IIR. */
    assert_int_equal(rd(IIR), IIR_RDA);
    assert_int_equal(rd(RBR), 'q');
    assert_int_equal(vuart_irq_level(&u, &rx), 0);
    assert_int_equal(rd(IIR), IIR_NO_INT);
}

/* verifies: CON-9 */
static void test_thre_interrupt_cleared_by_iir_read(void **state)
{
    (void)state;
    /* Enabling ETBEI with THR empty interrupts at once. */
    wr(IER, IER_ETBEI);
    assert_int_equal(vuart_irq_level(&u, &rx), 1);
    assert_int_equal(rd(IIR), IIR_THRE);
    /* Reading IIR while it reports THRE clears that interrupt. */
    assert_int_equal(vuart_irq_level(&u, &rx), 0);
    assert_int_equal(rd(IIR), IIR_NO_INT);
    /* Every transmitted byte empties THR again. */
    wr(THR, 'z');
    assert_int_equal(vuart_irq_level(&u, &rx), 1);
    /* Received data outranks THRE and does not consume it. */
    wr(IER, IER_ETBEI | IER_ERBFI);
    assert_int_equal(rxq_put(&rx, 'r'), 1);
    assert_int_equal(rd(IIR), IIR_RDA);
    assert_int_equal(rd(RBR), 'r');
    assert_int_equal(rd(IIR), IIR_THRE);
    assert_int_equal(rd(IIR), IIR_NO_INT);
}

/* verifies: CON-9 */
static void test_ier_keeps_low_nibble(void **state)
{
    (void)state;
    wr(IER, 0xffU);
    assert_int_equal(rd(IER), 0x0fU);
}

/* verifies: CON-9 */
static void test_dlab_switches_to_divisor_latches(void **state)
{
    (void)state;
    wr(IER, IER_ERBFI);
    assert_int_equal(rxq_put(&rx, 'd'), 1);
    wr(LCR, LCR_DLAB | 0x03U);
    assert_int_equal(rd(LCR), LCR_DLAB | 0x03U);
    /* With DLAB set, offsets 0 and 1 are the divisor: nothing is transmitted or received. */
    assert_int_equal(wr(DLL, 0x0cU), VUART_NO_TX);
    wr(DLM, 0x01U);
    assert_int_equal(rd(DLL), 0x0cU);
    assert_int_equal(rd(DLM), 0x01U);
    assert_int_equal(rd(LSR) & LSR_DR, LSR_DR);
    wr(LCR, 0x03U);
    /* The divisor did not overwrite IER, and the byte is still there. */
    assert_int_equal(rd(IER), IER_ERBFI);
    assert_int_equal(rd(RBR), 'd');
    wr(LCR, LCR_DLAB);
    assert_int_equal(rd(DLL), 0x0cU);
}

/* verifies: CON-9 */
static void test_fifo_control(void **state)
{
    (void)state;
    assert_int_equal(rd(IIR) & IIR_FIFOS, 0);
    wr(FCR, 0x01U);
    assert_int_equal(rd(IIR), IIR_FIFOS | IIR_NO_INT);
    assert_int_equal(rxq_put(&rx, '1'), 1);
    assert_int_equal(rxq_put(&rx, '2'), 1);
    /* FCR bit 1 clears the receive FIFO; the FIFOs stay enabled. */
    wr(FCR, 0x03U);
    assert_int_equal(rd(LSR) & LSR_DR, 0);
    assert_int_equal(rd(IIR), IIR_FIFOS | IIR_NO_INT);
    wr(FCR, 0x00U);
    assert_int_equal(rd(IIR) & IIR_FIFOS, 0);
}

/* verifies: CON-9 */
static void test_scratch_mcr_msr(void **state)
{
    (void)state;
    wr(SCR, 0x5aU);
    wr(MCR, 0x0bU);
    assert_int_equal(rd(SCR), 0x5aU);
    assert_int_equal(rd(MCR), 0x0bU);
    /* Modem status: CTS, DSR and DCD up; writes to MSR are ignored. */
    wr(MSR, 0x00U);
    assert_int_equal(rd(MSR), 0xb0U);
    assert_int_equal(rd(8U), 0);
}

/* verifies: CON-9 */
static void test_receive_queue_overrun_and_order(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < RXQ_SIZE; i++) {
        assert_int_equal(rxq_put(&rx, (uint8_t)i), 1);
    }
    /* Full: the next byte is dropped, as an overrun drops it. */
    assert_int_equal(rxq_put(&rx, 0xeeU), 0);
    for (uint32_t i = 0; i < RXQ_SIZE; i++) {
        assert_int_equal(rd(RBR), i);
    }
    assert_int_equal(rd(LSR) & LSR_DR, 0);
    assert_int_equal(rxq_get(&rx), -1);
}

/* verifies: CON-9 */
static void test_reset_clears_registers(void **state)
{
    (void)state;
    wr(IER, IER_ETBEI);
    wr(LCR, 0x83U);
    wr(SCR, 1U);
    vuart_reset(&u);
    assert_int_equal(rd(LCR), 0);
    assert_int_equal(rd(IER), 0);
    assert_int_equal(rd(SCR), 0);
    assert_int_equal(vuart_irq_level(&u, &rx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lsr_tracks_receive_queue, setup),
        cmocka_unit_test_setup(test_thr_write_is_transmitted, setup),
        cmocka_unit_test_setup(test_thr_write_alone_matches, setup),
        cmocka_unit_test_setup(test_receive_interrupt_follows_ier_and_data, setup),
        cmocka_unit_test_setup(test_thre_interrupt_cleared_by_iir_read, setup),
        cmocka_unit_test_setup(test_ier_keeps_low_nibble, setup),
        cmocka_unit_test_setup(test_dlab_switches_to_divisor_latches, setup),
        cmocka_unit_test_setup(test_fifo_control, setup),
        cmocka_unit_test_setup(test_scratch_mcr_msr, setup),
        cmocka_unit_test_setup(test_receive_queue_overrun_and_order, setup),
        cmocka_unit_test_setup(test_reset_clears_registers, setup),
    };
    return cmocka_run_group_tests_name("vuart", tests, NULL, NULL);
}
