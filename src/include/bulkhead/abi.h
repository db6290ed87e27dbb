/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead's interface facts, defined once and shared by every side of the
 * interface: the hypervisor (src/), the host config compiler (tools/bhconfig)
 * and the guests (cells/), as Jailhouse shares its cell-config.h.
 *
 * Freestanding on purpose: no includes, only integer constants and enums with
 * explicit values, so the same text compiles in the hypervisor's -ffreestanding
 * build, the guests' bare-metal build and the host build of bhconfig. The
 * numbers are an ABI: guests are compiled against them, so a value never
 * changes meaning; new entries take new values.
 */
#ifndef BULKHEAD_ABI_H
#define BULKHEAD_ABI_H

/*
 * Every hart id is below this: the hypervisor's per-hart tables are indexed
 * by hart id and sized by the platform's highest id, at most BH_HART_DATA_MAX
 * bytes of hypervisor data per id (hart.c asserts it; bhconfig budgets it).
 * Hart sets never shift by a hart id (hart_set.h), so any id below the limit
 * works. bhconfig refuses higher ids; cell_config.h asserts the bound on BH_NUM_HARTS.
 */
#define BH_HART_ID_LIMIT 1024U
#define BH_HART_DATA_MAX 1024U

/* Access rights of a RAM region, as in the config's `access` string ("rwx"). */
#define BH_ACCESS_R 1U
#define BH_ACCESS_W 2U
#define BH_ACCESS_X 4U

/* A cell's fault-policy (docs/faults.md). */
#define BH_FAULT_STOP    0U /* park every hart of the cell, keep memory for inspection */
#define BH_FAULT_RESTART 1U /* reload the pristine image and DTB, boot again */

/*
 * A cell's doorbell page (docs/shmem.md): a 4 KiB guest page the hypervisor
 * emulates, one 16-byte slot per shared-memory channel of the cell, in the
 * order of the channels in the system config. 32-bit accesses only.
 *   RING        write: the member index of the peer to ring on this channel
 *               read:  this cell's own member index
 *   GENERATION  read:  bumped by the hypervisor each time a member of the
 *               channel stops or restarts (starts at 0)
 *   MEMBERS     read:  the number of member cells of the channel
 * Every other offset reads 0 and ignores writes.
 */
#define BH_DOORBELL_SLOT_SIZE 0x10U

/* The APLIC domain an interrupt-controller = "aia" cell sees (its DTB's reg) and the hypervisor
 * emulates: the registers up to target[1023] (AIA spec 4.5); the interrupt delivery controls
 * above them exist only in direct delivery mode, which this domain does not have. */
#define BH_VAPLIC_SIZE         0x4000U
#define BH_DOORBELL_RING       0x0U
#define BH_DOORBELL_GENERATION 0x4U
#define BH_DOORBELL_MEMBERS    0x8U

/*
 * Bulkhead's own SBI extension, in the firmware-specific EID range (SBI spec
 * v2.0, ch. 3): a guest reads the exit counters of its own harts (docs/stats.md).
 *   GET_COUNTER(vhart, counter) -> value   counter = enum bh_stat
 *   GET_EXITS(vhart)            -> value   every exit of that hart
 */
#define SBI_EXT_BULKHEAD         0x0B48EAD0UL
#define SBI_BULKHEAD_GET_COUNTER 0UL
#define SBI_BULKHEAD_GET_EXITS   1UL

/*
 * Exit counters, per physical hart and cause: the `counter` argument of
 * SBI_BULKHEAD_GET_COUNTER and the index column of docs/stats.md. The host unit
 * test tests/unit-hyp/test_stats.c checks that the names the hypervisor prints
 * for these values are the ones docs/stats.md gives them.
 */
enum bh_stat {
    BH_STAT_SBI_LEGACY = 0,
    BH_STAT_SBI_BASE = 1,
    BH_STAT_SBI_TIME = 2,
    BH_STAT_SBI_IPI = 3,
    BH_STAT_SBI_RFENCE = 4,
    BH_STAT_SBI_HSM = 5,
    BH_STAT_SBI_SRST = 6,
    BH_STAT_SBI_DBCN = 7,
    BH_STAT_SBI_BULKHEAD = 8,
    BH_STAT_SBI_UNKNOWN = 9,
    BH_STAT_MMIO_VPLIC = 10,
    BH_STAT_MMIO_VUART = 11,
    BH_STAT_IRQ_EXTERNAL = 12,
    BH_STAT_IRQ_SOFTWARE = 13,
    BH_STAT_VIRTUAL_INSN = 14,
    BH_STAT_FAULT = 15,
    BH_STAT_RESTART = 16,
    BH_STAT_VPLIC_DENIED = 17,
    BH_STAT_DEVICE_IRQ = 18,
    BH_STAT_CONSOLE_DROPPED = 19,  /* console bytes over the cell's output budget */
    BH_STAT_CONSOLE_REPLACED = 20, /* control characters and broken UTF-8 replaced */
    BH_STAT_IRQ_TIMER = 21,        /* the hart's wakeup: console output held for its cell is due */
    BH_STAT_MMIO_DOORBELL = 22,    /* trapped accesses to the cell's doorbell page */
    BH_STAT_DOORBELL_DENIED = 23,  /* rings of a non-member, of itself or of no member; writes to read-only slots */
    BH_STAT_DOORBELL_MERGED = 24,  /* rings while the peer's previous ring was still pending: merged into it */
    BH_STAT_HART_MISSING = 25,     /* 1: the firmware started the hart but it never reached the hypervisor */
    BH_STAT_MMIO_VAPLIC = 26,      /* trapped accesses to an "aia" cell's APLIC domain */
    BH_STAT_VAPLIC_DENIED = 27,    /* APLIC writes that would activate, enable, pend or aim a source not the cell's */
    BH_STAT_COUNT = 28             /* number of counters; sizes the hypervisor's tables */
};

#endif /* BULKHEAD_ABI_H */
