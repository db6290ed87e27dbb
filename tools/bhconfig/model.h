/* SPDX-License-Identifier: Apache-2.0 */
/*
 * In-memory model of the three inputs (platform DT, system config, .config)
 * and of what the compiler derives from them. Parsers fill it, validators
 * read it, generators turn it into files. Plain data, no behaviour.
 */
#ifndef BHC_MODEL_H
#define BHC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bulkhead/abi.h" /* BH_ACCESS_*, BH_FAULT_*: shared with the hypervisor */

#define SZ_4K  0x1000ULL
#define SZ_64K 0x10000ULL
#define SZ_2M  0x200000ULL
#define SZ_1G  0x40000000ULL

/* The default DTB slot is the last 64 KiB of the RAM region holding the image. */
#define DTB_SLOT_SIZE SZ_64K

/* CONFIG_HART_STACK_SIZE's range (Kconfig). The hypervisor's code region
 * (src/arch/riscv/bulkhead.ld.in, the first part of its region) holds code
 * and fixed data (HYP_CODE_DATA_RESERVE), per-hart data for every hart id
 * (BH_HART_DATA_MAX, asserted by the hypervisor) and a stack with a 4 KiB
 * guard page per hart that runs something (layout.h); the link checks the
 * exact sum again. */
#define HART_STACK_MIN        0x1000U
#define HART_STACK_MAX        0x40000U
#define HART_STACK_GUARD      SZ_4K
#define HYP_CODE_DATA_RESERVE (512ULL * 1024ULL)
#define HYP_HART_DATA         ((uint64_t)BH_HART_DATA_MAX)

enum console_kind { CONSOLE_NS16550 = 0, CONSOLE_SBI = 1 };
enum fault_policy { FAULT_STOP = BH_FAULT_STOP, FAULT_RESTART = BH_FAULT_RESTART };
/* A cell's `dma` property: what the system accepts from its bus-master devices.
 * Absent: none may be passed through. A confined mode (IOMMU) will join these. */
enum cell_dma { DMA_NONE = 0, DMA_UNCONFINED = 1 };
/* The platform's interrupt controller: a PLIC, or the AIA (APLIC in MSI mode + IMSICs). */
enum irqchip_kind { IRQCHIP_PLIC = 0, IRQCHIP_AIA = 1 };
/* What a cell's guest sees (`interrupt-controller`, docs/config.md): the virtual PLIC,
 * or on an AIA platform an IMSIC guest interrupt file per virtual hart and an APLIC domain. */
enum cell_irqchip { CELL_IRQ_PLIC = 0, CELL_IRQ_AIA = 1 };

/* A byte range [base, base + size). size 0 means "absent". */
struct range {
    uint64_t base;
    uint64_t size;
};

/* ---- platform ---------------------------------------------------------- */

struct plat_hart {
    uint32_t id;    /* reg of the cpu node = physical hart id */
    int offset;     /* cpu node in the platform blob */
    uint64_t sswi;  /* its ACLINT SSWI SETSSIP register, 0 if the platform has none for it */
    uint64_t imsic; /* AIA: its supervisor-level IMSIC interrupt file; guest file g at + g * 4 KiB */
};

/* A node under /soc: candidate for pass-through. */
struct plat_dev {
    char *name; /* node name, e.g. "virtio_mmio@10008000" */
    char *path; /* "/soc/virtio_mmio@10008000" */
    int offset; /* node in the platform blob */
    struct range *regs;
    unsigned num_regs;
    uint32_t *irqs; /* PLIC sources from `interrupts` */
    unsigned num_irqs;
    bool irqs_foreign; /* interrupts that do not go through the PLIC */
    const char *owner; /* NULL if a cell may own it, else why the hypervisor keeps it */
    bool bus_master;   /* `bulkhead,bus-master`: can read and write memory on its own (DMA) */
};

/* Any address range the platform decodes as MMIO (reg or bus window). */
struct plat_mmio {
    char *path; /* node path, " (ranges)" appended for a bus window */
    struct range r;
    int dev; /* index into platform devs if the node is under /soc, else -1 */
};

struct platform {
    const char *file; /* the .dts the user named */
    char *name;       /* file name without directory and ".dts" */
    void *fdt;
    struct plat_hart *harts;
    unsigned num_harts;
    uint32_t hart_limit; /* highest hart id + 1 = BH_NUM_HARTS */
    struct range ram;
    struct range firmware;
    char *firmware_path;
    uint32_t firmware_max_harts; /* harts the firmware can start (its node's bulkhead,max-harts), 0 if not stated */
    enum irqchip_kind irqchip;
    struct range plic;     /* the physical PLIC; on AIA where PLIC-only cells see their virtual PLIC */
    uint32_t plic_ndev;    /* device interrupt sources 1..plic_ndev (PLIC riscv,ndev, APLIC riscv,num-sources) */
    uint32_t intc_phandle; /* the controller devices name as interrupt parent: PLIC or S-level APLIC */
    uint32_t intc_cells;   /* its #interrupt-cells: a source, then (APLIC) its trigger type */
    /* AIA only (AIA spec ch. 3 IMSIC, ch. 4 APLIC) */
    struct range aplic;        /* the supervisor-level APLIC domain, MSI delivery mode */
    struct range imsic;        /* the supervisor-level IMSICs: every hart's S file and guest files */
    uint32_t imsic_guest_bits; /* riscv,guest-index-bits: 2^bits - 1 guest files per hart */
    uint32_t imsic_ids;        /* riscv,num-ids: interrupt identities 1..num-ids of each file */
    int uart_dev;              /* index into devs of the hypervisor's UART */
    uint64_t timebase;
    const char *compatible; /* root compatible (raw property) */
    int compatible_len;
    const char *model;
    struct plat_dev *devs;
    unsigned num_devs;
    struct plat_mmio *mmio;
    unsigned num_mmio;
    /* The RISC-V IOMMU in front of the PCIe host bridge (RISC-V IOMMU spec 1.0), if the platform has one. */
    bool has_iommu;
    struct range iommu;      /* its register page */
    uint32_t iommu_irq;      /* its wired interrupt vector 0: every cause is sent there (icvec = 0) */
    struct range ecam;       /* the generic PCIe host bridge's configuration space (ECAM) */
    uint32_t ecam_bus_max;   /* the last bus number of bus-range */
    struct range pci_mem[4]; /* its memory windows (ranges of type 32- or 64-bit memory), CPU = PCI address */
    unsigned num_pci_mem;
    const uint32_t *pci_imap; /* interrupt-map, raw big-endian cells */
    unsigned pci_imap_cells;
    uint32_t pci_imap_mask[4]; /* interrupt-map-mask: 3 address cells and the pin */
};

/* A PCI function a cell owns: node pci@<bus>,<device>,<function> of the cell (docs/devices.md). */
struct pci_fn {
    char *node;          /* node name, "pci@0,1,0" */
    uint32_t bus;        /* 0..255 */
    uint32_t dev;        /* 0..31 */
    uint32_t fn;         /* 0..7 */
    struct range window; /* bar-window: the bridge memory its BARs are placed in, mapped guest = host */
    uint32_t irq;        /* the platform source its INTA# line reaches (interrupt-map), 0 if none */
    bool valid;          /* parsed and passed every rule */
};

static inline uint32_t pci_fn_rid(const struct pci_fn *f)
{
    return (f->bus << 8) | (f->dev << 3) | f->fn; /* the requester ID = the IOMMU's device_id */
}

/* ---- .config ------------------------------------------------------------ */

struct kconf {
    const char *file;
    unsigned max_cell_harts;
    unsigned max_cells;
    unsigned max_regions;
    unsigned max_devices;
    unsigned max_irqs;
    enum fault_policy fault_default;
    unsigned console_switch_key;
    unsigned hart_stack_size; /* CONFIG_HART_STACK_SIZE: each hart's hypervisor stack */
};

/* ---- system config ------------------------------------------------------ */

struct region {
    char *name; /* node name, "memory@80000000" */
    uint64_t guest;
    uint64_t host;
    uint64_t size;
    uint32_t access; /* BH_ACCESS_* */
    bool parsed;     /* guest-address, host-address and size present and well-formed */
    bool valid;      /* parsed, good access, 4 KiB aligned: usable for overlaps and G-stage */
};

struct cell {
    char *name;      /* node name under /cells */
    char *ident;     /* name as a C identifier, for symbols */
    unsigned index;  /* position under /cells */
    uint32_t *harts; /* physical hart of virtual hart i */
    unsigned num_harts;
    struct region *regions;
    unsigned num_regions;
    char **devices; /* platform node names under /soc */
    int *dev_index; /* index into platform devs, -1 if unknown */
    unsigned num_devices;
    uint32_t *irqs; /* owned PLIC sources, sorted, from the devices */
    unsigned num_irqs;
    char *image; /* image name (file <image-dir>/<image>.bin) */
    bool has_image_address;
    uint64_t image_address;
    bool has_entry;
    uint64_t entry;
    bool has_dtb_address;
    uint64_t dtb_address;
    char *bootargs; /* NULL: none */
    enum console_kind console;
    enum fault_policy fault;
    bool fault_set;            /* fault-policy given in the config */
    enum cell_dma dma;         /* `dma` property */
    bool dma_set;              /* dma given, even with a bad value (already reported) */
    bool has_doorbell;         /* `doorbell-address` given and well-formed */
    uint64_t doorbell;         /* guest-physical page of its channel doorbells (docs/shmem.md) */
    enum cell_irqchip irqchip; /* `interrupt-controller` */
    uint32_t *vgein;           /* "aia": the IMSIC guest interrupt file of virtual hart i on its
                                  physical hart (hstatus.VGEIN), assigned by validate_devices */
    struct pci_fn *pci;        /* PCI functions passed through, behind the IOMMU */
    unsigned num_pci;

    /* derived */
    char *image_path; /* absolute path once found */
    uint64_t image_size;
    bool image_ok; /* file exists and is readable */
    void *dtb;     /* generated guest DTB */
    size_t dtb_size;
    uint64_t root_pa; /* G-stage root table */
    uint64_t hgatp;
};

/* One cell's view of a channel: a child node of the channel named after the cell. */
struct chan_member {
    char *name;      /* node name = the cell's name */
    int cell;        /* index into sys cells, -1 if no such cell */
    uint64_t guest;  /* guest-physical address of the shared region in that cell */
    uint32_t access; /* BH_ACCESS_R, or BH_ACCESS_R | BH_ACCESS_W */
    uint32_t irq;    /* virtual PLIC source its doorbell raises in that cell */
    bool parsed;     /* guest-address, access and interrupt present and well-formed */
    bool valid;      /* parsed and passed every rule: usable for the G-stage */
};

/* A shared-memory channel (/channels/<name>, docs/shmem.md). */
struct channel {
    char *name;
    unsigned index; /* position under /channels */
    uint64_t size;  /* 0 if missing or bad (reported) */
    bool has_host;  /* host-address given */
    uint64_t host;  /* given, or placed by validate_channels */
    bool placed;    /* host range known and valid */
    struct chan_member *members;
    unsigned num_members;
};

struct sys {
    const char *file;
    void *fdt;
    char *model;
    bool has_hyp;
    struct range hyp;
    struct cell *cells;
    unsigned num_cells;
    struct channel *channels;
    unsigned num_channels;
};

/* Doorbell page layout (docs/shmem.md): one 16-byte slot per channel of the cell. */
#define DOORBELL_SLOT_SIZE BH_DOORBELL_SLOT_SIZE
#define DOORBELL_MAX_SLOTS 256U /* 4 KiB / DOORBELL_SLOT_SIZE */

static inline uint64_t range_end(const struct range *r)
{
    return r->base + r->size;
}

/* Half-open overlap test; empty ranges overlap nothing. */
static inline bool ranges_overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return (asize != 0U) && (bsize != 0U) && (a < b + bsize) && (b < a + asize);
}

/* [a, a+asize) lies inside [b, b+bsize) (no wrap-around). */
static inline bool range_inside(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return (asize != 0U) && (a >= b) && (a + asize >= a) && (a + asize <= b + bsize);
}

/* Last byte, for messages that print inclusive ranges "0x..-0x..". */
static inline uint64_t last_byte(uint64_t base, uint64_t size)
{
    return base + size - 1U;
}

#endif
