/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract between the host config compiler (tools/bhconfig) and the
 * hypervisor: the compiler validates configs/<name>.dts and emits
 * build/<name>/gen/cells.c filling these const tables, plus gen/config.h with
 * the BH_* platform constants used below. Nothing here is computed at run time.
 */
#ifndef BULKHEAD_CELL_CONFIG_H
#define BULKHEAD_CELL_CONFIG_H

#include <stdint.h>
#include "config.h"       /* generated: BH_NUM_CELLS, BH_NUM_HARTS, BH_MAX_CELL_* ... */
#include "bulkhead/abi.h" /* BH_ACCESS_*, BH_FAULT_* */

/* Per-hart tables are indexed by hart id (abi.h); bhconfig refuses higher ids. */
_Static_assert(BH_NUM_HARTS <= BH_HART_ID_LIMIT, "hart ids must be below BH_HART_ID_LIMIT");
/* A cell's harts are one word of virtual harts (hart_set.h). */
_Static_assert(BH_MAX_CELL_HARTS <= 64U, "a cell has at most 64 harts");

#define BH_NO_CELL 0xffffffffU /* bh_harts[].cell of a hart that belongs to no cell */

struct bh_region {
    uint64_t guest_base; /* guest-physical */
    uint64_t host_base;  /* host-physical */
    uint64_t size;
    uint32_t access; /* BH_ACCESS_* */
};

/* A passed-through MMIO device: mapped guest == host, read-write, no execute. */
struct bh_device {
    uint64_t base;
    uint64_t size;
};

/* One cell's view of a shared-memory channel. */
struct bh_channel_member {
    uint32_t cell;       /* index into bh_cells */
    uint32_t irq;        /* virtual PLIC source its doorbell raises in that cell */
    uint64_t guest_base; /* where that cell sees the channel */
    uint32_t access;     /* BH_ACCESS_R, or BH_ACCESS_R | BH_ACCESS_W */
};

/* A shared-memory channel (docs/shmem.md): one host range, mapped into each member. */
struct bh_channel {
    const char *name;
    uint64_t host_base;
    uint64_t size;
    uint32_t num_members;
    struct bh_channel_member members[BH_MAX_CHANNEL_MEMBERS];
};

/* Slot i of a cell's doorbell page (BH_DOORBELL_SLOT_SIZE * i): which channel, and the cell's member index in it. */
struct bh_doorbell_slot {
    uint32_t channel; /* index into bh_channels */
    uint32_t member;
};

/* A PCI function passed through behind the IOMMU (docs/devices.md). */
struct bh_pci_function {
    uint32_t rid;         /* requester ID: bus << 8 | device << 3 | function (bus 0) */
    uint32_t irq;         /* PLIC source of its INTA# line, owned by the cell */
    uint64_t window_base; /* bar-window: its memory BARs are placed here at boot, mapped guest = host */
    uint64_t window_size;
};

/* An IOMMU device context (RISC-V IOMMU spec 1.0, 2.1.3), generated; the hypervisor copies it into
 * the device directory at boot. */
struct bh_iommu_context {
    uint32_t device_id; /* = the function's requester ID */
    uint32_t cell;      /* the owner, for fault reports */
    uint64_t tc;        /* translation control: V */
    uint64_t iohgatp;   /* second stage = the cell's hgatp (Sv39x4, GSCID = VMID, its G-stage root) */
    uint64_t ta;        /* translation attributes (PSCID): unused without a first stage */
    uint64_t fsc;       /* first stage: Bare */
};

struct bh_cell_config {
    const char *name;
    uint32_t num_harts;
    uint32_t harts[BH_MAX_CELL_HARTS]; /* physical hart id of virtual hart i */
    uint32_t num_regions;
    struct bh_region regions[BH_MAX_CELL_REGIONS];
    uint32_t num_devices;
    struct bh_device devices[BH_MAX_CELL_DEVICES];
    uint32_t num_irqs;
    uint32_t irqs[BH_MAX_CELL_IRQS]; /* physical PLIC sources owned; the guest sees the same ids */
    uint64_t entry;                  /* guest-physical entry of virtual hart 0 */
    uint64_t image_guest;            /* guest-physical load address of the image */
    const uint8_t *image;            /* pristine copy, in hypervisor memory */
    uint64_t image_size;
    uint64_t dtb_guest; /* guest-physical address the DTB is copied to */
    const uint8_t *dtb; /* pristine copy, in hypervisor memory */
    uint64_t dtb_size;
    uint64_t hgatp;          /* Sv39x4 | VMID | PPN of the generated root table */
    uint64_t console_base;   /* guest-physical NS16550 address, 0 = SBI console only */
    uint32_t console_irq;    /* virtual PLIC source of that UART */
    uint64_t vplic_base;     /* guest-physical virtual PLIC base */
    uint32_t direct_irq;     /* 1: each vhart's claim/complete page is mapped read-only
                                              onto its hart's physical context (docs/interrupts.md) */
    uint64_t vaplic_base;    /* guest-physical APLIC domain of an interrupt-controller = "aia" cell
                                (emulated, src/core/vaplic.c), 0 = the cell has the virtual PLIC only */
    uint32_t fault_policy;   /* BH_FAULT_* */
    uint32_t dma_unconfined; /* 1: a passed-through bus master can DMA anywhere in
                                              physical memory, accepted by dma = "unconfined" */
    uint64_t doorbell_base;  /* guest-physical doorbell page (emulated), 0 = the cell is in no channel */
    uint32_t num_doorbells;  /* its slots: one per channel it is a member of */
    struct bh_doorbell_slot doorbells[BH_MAX_CELL_CHANNELS];
    uint64_t ecam_base; /* guest-physical = host-physical configuration space (ECAM) it sees filtered */
    uint64_t ecam_size; /* 0: the cell has no PCI function, the ECAM is unmapped (a fault) */
    uint32_t num_pci;   /* PCI functions behind the IOMMU */
    struct bh_pci_function pci[BH_MAX_CELL_PCI];
};

struct bh_hart_config {
    uint32_t cell;  /* index into bh_cells, or BH_NO_CELL */
    uint32_t vhart; /* virtual hart id inside that cell */
    uint64_t sswi;  /* its ACLINT SSWI SETSSIP register, 0: IPIs go through the firmware */
    uint32_t vgein; /* the IMSIC guest interrupt file its vCPU owns (hstatus.VGEIN), 0: none */
};

extern const struct bh_cell_config bh_cells[BH_NUM_CELLS];
extern const struct bh_hart_config bh_harts[BH_NUM_HARTS];
/* Per hart id: its hypervisor stack slot (head.S); harts that run nothing share the boot slot. */
extern const uint16_t bh_hart_stack_slot[BH_NUM_HARTS];
/* The first BH_NUM_CHANNELS entries are the channels; the table has at least one entry (C11 has no empty arrays). */
extern const struct bh_channel bh_channels[BH_CHANNEL_TABLE_SIZE];
/* The first BH_NUM_IOMMU_CONTEXTS entries: one device context per passed-through PCI function. */
extern const struct bh_iommu_context bh_iommu_contexts[BH_IOMMU_CONTEXT_TABLE_SIZE];
/* gen/gstage.c: the Sv39x4 G-stage tables at BH_GSTAGE_BASE, reached through bh_cells[].hgatp */
extern const uint64_t bh_gstage_tables[BH_GSTAGE_PAGES][512];

#endif /* BULKHEAD_CELL_CONFIG_H */
