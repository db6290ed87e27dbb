/* SPDX-License-Identifier: Apache-2.0 */
/* The gen/config.h of the DMA fault unit test (test_dma_fault.c): two cells, one PCI function each. */
#ifndef BH_GEN_CONFIG_H
#define BH_GEN_CONFIG_H
#define BH_NUM_CELLS                2
#define BH_NUM_HARTS                2
#define BH_MAX_CELL_HARTS           1
#define BH_MAX_CELL_REGIONS         1
#define BH_MAX_CELL_DEVICES         1
#define BH_MAX_CELL_IRQS            1
#define BH_MAX_CELL_PCI             1U
#define BH_IOMMU_CONTEXT_TABLE_SIZE 2U
#define BH_GSTAGE_PAGES             1
#define BH_NUM_CHANNELS             0
#define BH_CHANNEL_TABLE_SIZE       1
#define BH_MAX_CELL_CHANNELS        1
#define BH_MAX_CHANNEL_MEMBERS      1
#endif
