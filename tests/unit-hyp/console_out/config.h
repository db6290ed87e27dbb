/* SPDX-License-Identifier: Apache-2.0 */
/* The gen/config.h of the console output unit test (test_console_out.c):
 * hostile-console's shape, a victim cell on one hart and an attacker on two. */
#ifndef BH_GEN_CONFIG_H
#define BH_GEN_CONFIG_H
#define BH_NUM_CELLS                2
#define BH_NUM_HARTS                3
#define BH_MAX_CELL_HARTS           2
#define BH_MAX_CELL_REGIONS         1
#define BH_MAX_CELL_DEVICES         1
#define BH_MAX_CELL_IRQS            1
#define BH_MAX_CELL_PCI             1U
#define BH_IOMMU_CONTEXT_TABLE_SIZE 1U
#define BH_GSTAGE_PAGES             1
#define BH_NUM_CHANNELS             0
#define BH_CHANNEL_TABLE_SIZE       1
#define BH_MAX_CELL_CHANNELS        1
#define BH_MAX_CHANNEL_MEMBERS      1
#define BH_TIMEBASE_FREQ            10000000 /* Hz */
#endif
