/* SPDX-License-Identifier: Apache-2.0 */
/* Host tests of DMA fault reports (src/core/dma_fault.c) against a fault queue
 * the test fills: one report per fault the policy acts on, however its records
 * arrive, and a stop that forgets the fault takes the old run's late records
 * without reporting them against the cell's next run (or its stopped state). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bulkhead/cell_config.h"
#include "bulkhead/dma_fault.h"
#include "bulkhead/hart.h"
#include "bulkhead/iommu.h"
#include "bulkhead/log.h"
#include "bulkhead/pci.h"

#define RID_VICTIM   0x08U /* 00:01.0, cell 0's function */
#define RID_ATTACKER 0x10U /* 00:02.0, cell 1's function */
#define RID_NOBODY   0x18U /* 00:03.0, assigned to no cell */

const struct bh_cell_config bh_cells[BH_NUM_CELLS] = {
    {.name = "victim", .num_harts = 1U, .harts = {0U}, .fault_policy = BH_FAULT_STOP},
    {.name = "dma", .num_harts = 1U, .harts = {1U}, .fault_policy = BH_FAULT_RESTART},
};
const struct bh_iommu_context bh_iommu_contexts[BH_IOMMU_CONTEXT_TABLE_SIZE] = {
    {.device_id = RID_VICTIM, .cell = 0U},
    {.device_id = RID_ATTACKER, .cell = 1U},
};

/* The IOMMU's fault queue: records the device wrote, the head the hypervisor consumed. */
static struct bh_iommu_fault queue[8];
static uint32_t queue_tail;
static uint32_t queue_head;

static char reports[8][160];
static uint32_t num_reports;
static uint32_t posts[BH_NUM_HARTS];
static uint32_t masters_stopped;

static void device_writes(uint32_t rid, uint64_t iova)
{
    queue[queue_tail % 8U] = (struct bh_iommu_fault){.cause = 23U, .ttyp = 3U, .device_id = rid, .iotval = iova};
    queue_tail++;
}

uint32_t bh_iommu_next_fault(struct bh_iommu_fault *f)
{
    if (queue_head == queue_tail) {
        return 0U;
    }
    *f = queue[queue_head % 8U];
    queue_head++;
    return 1U;
}

const char *bh_iommu_cause_name(uint32_t cause)
{
    return (cause == 23U) ? "write guest-page fault" : "other";
}

void bh_pci_stop_master(uint32_t rid)
{
    (void)rid;
    masters_stopped++;
}

void bh_hart_post(uint32_t hartid, uint32_t msg)
{
    assert_int_equal(msg, BH_MSG_DMA_FAULT);
    posts[hartid]++;
}

/* Keeps each report's first line (the "DMA FAULT cell=" one), counts nothing else. */
void bh_log(int level, const char *fmt, ...)
{
    char line[160];
    va_list ap;

    assert_int_equal(level, BH_LOG_ERROR);
    va_start(ap, fmt);
    (void)vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if ((strncmp(line, "DMA FAULT cell=", 15) == 0) && (num_reports < 8U)) {
        memcpy(reports[num_reports], line, sizeof(line));
        num_reports++;
    }
}

static int reset(void **state)
{
    (void)state;
    queue_tail = 0U;
    queue_head = 0U;
    num_reports = 0U;
    masters_stopped = 0U;
    memset(posts, 0, sizeof(posts));
    bh_dma_fault_forget(0U);
    bh_dma_fault_forget(1U);
    return 0;
}

/* verifies: ISO-DMA-4 */
static void test_burst_reported_once(void **state)
{
    (void)state;
    device_writes(RID_ATTACKER, 0x8c000000U);
    device_writes(RID_ATTACKER, 0x8c001000U);
    bh_dma_fault_irq();
    assert_int_equal(num_reports, 1U);
    assert_non_null(strstr(reports[0], "cell=dma device=00:02.0 cause=23 (write guest-page fault)"));
    assert_non_null(strstr(reports[0], "iova=0x000000008c000000"));
    assert_int_equal(masters_stopped, 2U); /* every record stops its function, the first at once */
    assert_int_equal(posts[1], 1U);
    assert_int_equal(posts[0], 0U);
    assert_int_equal(bh_dma_fault_claim(1U), 1U);
    assert_int_equal(bh_dma_fault_claim(0U), 0U);
}

/* The CI failure of stop 28: the interrupt took the first record, the device's
 * second one was read only after the cell had stopped. */
/* verifies: ISO-DMA-4 */
static void test_late_record_of_a_stopped_run_not_reported(void **state)
{
    (void)state;
    device_writes(RID_ATTACKER, 0x8c000000U);
    bh_dma_fault_irq();
    device_writes(RID_ATTACKER, 0x8c000000U); /* before the stop quiesced the function */
    bh_dma_fault_forget(1U);                  /* the cell's hart stops it */
    bh_dma_fault_irq();                       /* the slower hart reads on */
    assert_int_equal(num_reports, 1U);
    assert_int_equal(posts[1], 1U);
    assert_int_equal(queue_head, queue_tail);
    assert_int_equal(bh_dma_fault_claim(1U), 0U);
}

/* verifies: ISO-DMA-4 */
static void test_restarted_run_faults_again(void **state)
{
    (void)state;
    device_writes(RID_ATTACKER, 0x8c000000U);
    bh_dma_fault_irq();
    bh_dma_fault_forget(1U);
    device_writes(RID_ATTACKER, 0x80200000U); /* the next run's own attack */
    bh_dma_fault_irq();
    assert_int_equal(num_reports, 2U);
    assert_non_null(strstr(reports[1], "iova=0x0000000080200000"));
    assert_int_equal(posts[1], 2U);
    assert_int_equal(bh_dma_fault_claim(1U), 1U);
}

/* verifies: ISO-DMA-4 */
static void test_stop_drains_other_cells_faults_as_theirs(void **state)
{
    (void)state;
    device_writes(RID_ATTACKER, 0x8c000000U);
    bh_dma_fault_irq();
    device_writes(RID_VICTIM, 0x100000000U);
    device_writes(RID_NOBODY, 0x0U);
    bh_dma_fault_forget(1U);
    assert_int_equal(num_reports, 3U);
    assert_non_null(strstr(reports[1], "cell=victim device=00:01.0"));
    assert_non_null(strstr(reports[2], "cell=(none: unassigned function) device=00:03.0"));
    assert_int_equal(posts[0], 1U);
    assert_int_equal(bh_dma_fault_claim(0U), 1U);
    assert_int_equal(bh_dma_fault_claim(1U), 0U);
    assert_int_equal(masters_stopped, 3U);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_burst_reported_once, reset),
        cmocka_unit_test_setup(test_late_record_of_a_stopped_run_not_reported, reset),
        cmocka_unit_test_setup(test_restarted_run_faults_again, reset),
        cmocka_unit_test_setup(test_stop_drains_other_cells_faults_as_theirs, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
