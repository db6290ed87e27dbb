/* SPDX-License-Identifier: Apache-2.0 */
/* Host tests of the console output sink (src/core/console_out.c) with a host
 * thread per hart. A cell ending its line prints none of the bytes other
 * cells held behind it, and a printable byte of the cell whose line is open
 * goes out at once. And a cell flooding the UART from two harts, within its
 * budget, does not make another cell's byte wait out the flood (CON-4): each
 * byte the victim writes (one emulated THR write: a byte of a guest with its
 * interrupts off) waits for the slice in flight, not for the flooder's burst.
 * With the plain spin lock of before, the flooder's two harts handed the lock
 * to each other: in each of 6 runs, every round had a victim byte wait for
 * 28653 to 75161 flood bytes. The wait is measured inside the lock
 * (console_out/bulkhead/lib.h), from the moment the victim's hart starts
 * spinning for the UART lock, counted as waiting, to the moment it has it: a
 * bound of the protocol, which no scheduling of the host's threads can
 * exceed, so every wait is checked against it. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "arch/cpu.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/console_out.h"
#include "bulkhead/hart.h"
#include "bulkhead/lib.h"
#include "bulkhead/ns16550.h"

#define VICTIM   0U
#define ATTACKER 1U
/* The victim's bytes per round, and the flood bytes one of them may wait
 * for once it spins for the UART lock: the rest of the slice in flight, or
 * one slice that took the lock after the flooder had found no hart waiting,
 * before the victim counted itself (a flooder's next slice then waits for
 * it). Both harts of the flooder write under its cell's output lock, so only
 * one of them is ever between that check and the UART lock. A slice is SLICE
 * (16) new bytes and the bytes the flooder held while the victim's line was
 * open (console_out.c, must_hold; at most HELD_MAX, 512), which go out with
 * it. */
#define VICTIM_BYTES 400U
#define WAIT_BOUND   (16U + 512U)
#define UART_BYTE_NS 300  /* a byte's time on the wire, for the flood to stand in line */
#define GUEST_NS     5000 /* the victim's guest between two bytes */

const struct bh_cell_config bh_cells[BH_NUM_CELLS] = {
    {.name = "victim", .num_harts = 1U, .harts = {1U}},
    {.name = "attacker", .num_harts = 2U, .harts = {0U, 2U}},
};

static struct bh_hart harts[BH_NUM_HARTS];
static _Thread_local struct bh_hart *this_hart;

struct bh_hart *arch_this_hart(void)
{
    return this_hart;
}

static uint64_t host_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ((uint64_t)t.tv_sec * 1000000000U) + (uint64_t)t.tv_nsec;
}

/* The time, in the 10 MHz timebase of config.h: the host's, or frozen_time
 * when a test sets it (a line still "printing" however slow the host). */
static volatile uint64_t frozen_time;

uint64_t arch_time_now(void)
{
    return (frozen_time != 0U) ? frozen_time : (host_ns() / 100U);
}

void arch_set_wakeup(uint64_t deadline)
{
    (void)deadline;
}

/* The UART: written under the UART lock only, so one writer at a time. */
static volatile uint64_t flood_bytes_out; /* the attacker's '0' and '1' */
static volatile uint64_t victim_bytes_out;
static volatile uint64_t uart_bytes_out;

void ns16550_init(void)
{
}

void ns16550_putc(char c)
{
    const uint64_t until = host_ns() + UART_BYTE_NS;
    while (host_ns() < until) {
    }
    if ((c == '0') || (c == '1')) {
        flood_bytes_out++;
    } else if (c == 'x') {
        victim_bytes_out++;
    }
    uart_bytes_out++;
}

static volatile int flooding;

static void *flood(void *arg)
{
    uint8_t line[64];
    this_hart = arg;
    memset(line, (this_hart->hartid == 0U) ? '0' : '1', sizeof line);
    line[sizeof line - 1U] = '\n';
    while (flooding != 0) {
        bh_console_cell_write(ATTACKER, line, sizeof line);
    }
    return NULL;
}

/* The victim's waits for the UART lock, measured by the lock seam: from the
 * moment its hart spins for a lock that is not its own cell's output lock
 * (only the UART lock then: uart_lock counts the hart as waiting first) to
 * the moment it holds it. */
static _Thread_local int is_victim;
static _Thread_local uint64_t spin_began_at; /* flood bytes out then */
static uint64_t victim_spins;
static uint64_t victim_longest_wait;

static int is_uart_lock_of_victim(const struct bh_lock *l)
{
    /* The output lock is the first member of a cell's output state. */
    return (is_victim != 0) && ((const void *)l != (const void *)bh_console_output_of(VICTIM));
}

void test_lock_spin_begins(const struct bh_lock *l)
{
    if (is_uart_lock_of_victim(l) != 0) {
        spin_began_at = flood_bytes_out;
    }
}

void test_lock_spin_ends(const struct bh_lock *l)
{
    if (is_uart_lock_of_victim(l) != 0) {
        const uint64_t waited = flood_bytes_out - spin_began_at;
        victim_spins++;
        victim_longest_wait = (waited > victim_longest_wait) ? waited : victim_longest_wait;
    }
}

/* Rounds of the victim's bytes, until the victim has spun for the UART lock
 * MIN_SPINS times (on a loaded host the flooders' threads may not have run
 * through a round), and the flooders get MAX_ROUNDS to make it. */
#define MIN_SPINS  1000U
#define MAX_ROUNDS 64U

static void victim_round(void)
{
    for (uint32_t i = 0; i < VICTIM_BYTES; i++) {
        bh_console_cell_putc(VICTIM, ((i % 50U) == 49U) ? '\n' : 'x');
        /* The guest runs between two of its exits. Asleep, its thread
         * leaves the host's cores to the flooders. */
        const struct timespec guest = {.tv_sec = 0, .tv_nsec = GUEST_NS};
        nanosleep(&guest, NULL);
    }
}

/* verifies: CON-4 */
static void test_victim_byte_waits_for_slices_not_the_flood(void **state)
{
    (void)state;
    pthread_t flooders[2];
    bh_console_init();
    for (uint32_t i = 0; i < BH_NUM_HARTS; i++) {
        harts[i].hartid = i;
        harts[i].cell = (i == 1U) ? VICTIM : ATTACKER;
    }
    flooding = 1;
    assert_int_equal(pthread_create(&flooders[0], NULL, flood, &harts[0]), 0);
    assert_int_equal(pthread_create(&flooders[1], NULL, flood, &harts[2]), 0);
    this_hart = &harts[1];
    is_victim = 1;
    while (flood_bytes_out < 20000U) {
    }
    uint32_t rounds = 0U;
    uint64_t longest = 0U;
    printf("# the victim's spins for the UART lock and its longest wait in them, in flood bytes (bound %u), "
           "by round:",
           WAIT_BOUND);
    while ((victim_spins < MIN_SPINS) && (rounds < MAX_ROUNDS)) {
        const uint64_t spins_before = victim_spins;
        victim_longest_wait = 0U;
        victim_round();
        printf(" %llu/%llu", (unsigned long long)(victim_spins - spins_before),
               (unsigned long long)victim_longest_wait);
        longest = (victim_longest_wait > longest) ? victim_longest_wait : longest;
        rounds++;
    }
    printf("\n");
    is_victim = 0;
    flooding = 0;
    pthread_join(flooders[0], NULL);
    pthread_join(flooders[1], NULL);
    bh_console_cell_flush(VICTIM);

    /* Every victim byte went out, none lost behind the flood. */
    assert_int_equal(victim_bytes_out, rounds * (VICTIM_BYTES - (VICTIM_BYTES / 50U)));
    /* The flood held the UART lock against the victim often enough (the
     * test tests something). */
    assert_true(victim_spins >= MIN_SPINS);
    /* Every wait, in every round: the bound does not depend on the host. */
    assert_true(longest <= WAIT_BOUND);
}

/* verifies: CON-4, CON-7 */
static void test_line_end_prints_no_bytes_held_behind_it(void **state)
{
    (void)state;
    uint8_t text[300];
    memset(text, '0', sizeof text);
    frozen_time = host_ns() / 100U;
    bh_console_init();
    this_hart = &harts[0];
    bh_console_cell_end_run(ATTACKER); /* nothing left of the test before */
    this_hart = &harts[1];
    bh_console_cell_end_run(VICTIM);

    /* The victim's line is open and printing: the attacker's text is held. */
    bh_console_cell_write(VICTIM, (const uint8_t *)"xxx", 3U);
    /* Its next printable byte goes out at once (putc_plain). */
    const uint64_t victim_before = victim_bytes_out;
    bh_console_cell_putc(VICTIM, 'x');
    assert_int_equal(victim_bytes_out - victim_before, 1U);
    this_hart = &harts[0];
    uint64_t before = flood_bytes_out;
    bh_console_cell_write(ATTACKER, text, sizeof text);
    assert_int_equal(flood_bytes_out - before, 0U);

    /* The victim ends its line and prints none of the attacker's bytes: they
     * would cost its hart their time on the wire. */
    this_hart = &harts[1];
    bh_console_cell_putc(VICTIM, '\n');
    assert_int_equal(flood_bytes_out - before, 0U);

    /* The attacker's next byte takes the line, on its own hart, with every
     * byte it held. */
    this_hart = &harts[0];
    bh_console_cell_putc(ATTACKER, '0');
    assert_int_equal(flood_bytes_out - before, sizeof text + 1U);
    frozen_time = 0U;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_victim_byte_waits_for_slices_not_the_flood),
        cmocka_unit_test(test_line_end_prints_no_bytes_held_behind_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
