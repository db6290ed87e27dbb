/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SBI numbering (RISC-V SBI specification v2.0), defined once for both sides
 * of the call: the hypervisor (guest-facing SBI and its own firmware calls)
 * and the guests (cells/common/sbi.h). Freestanding like bulkhead/abi.h: no
 * includes, plain constants. Bulkhead's own extension is in bulkhead/abi.h.
 */
#ifndef BULKHEAD_SBI_DEFS_H
#define BULKHEAD_SBI_DEFS_H

/* Standard SBI errors (ch. 3, table "Standard SBI Errors"). */
#define SBI_SUCCESS               0L
#define SBI_ERR_FAILED            (-1L)
#define SBI_ERR_NOT_SUPPORTED     (-2L)
#define SBI_ERR_INVALID_PARAM     (-3L)
#define SBI_ERR_DENIED            (-4L)
#define SBI_ERR_INVALID_ADDRESS   (-5L)
#define SBI_ERR_ALREADY_AVAILABLE (-6L)
#define SBI_ERR_ALREADY_STARTED   (-7L)
#define SBI_ERR_ALREADY_STOPPED   (-8L)
#define SBI_ERR_NO_SHMEM          (-9L)

/* Legacy extensions (ch. 5): the EID is the function, the result is a0 only. */
#define SBI_LEGACY_SET_TIMER       0x00UL
#define SBI_LEGACY_CONSOLE_PUTCHAR 0x01UL
#define SBI_LEGACY_CONSOLE_GETCHAR 0x02UL
#define SBI_LEGACY_SEND_IPI        0x04UL
#define SBI_LEGACY_SHUTDOWN        0x08UL

/* Extension ids (ch. 4, 6-19). */
#define SBI_EXT_BASE   0x10UL
#define SBI_EXT_TIME   0x54494D45UL /* "TIME" */
#define SBI_EXT_IPI    0x735049UL   /* "sPI" */
#define SBI_EXT_RFENCE 0x52464E43UL /* "RFNC" */
#define SBI_EXT_HSM    0x48534DUL   /* "HSM" */
#define SBI_EXT_SRST   0x53525354UL /* "SRST" */
#define SBI_EXT_PMU    0x504D55UL   /* "PMU" */
#define SBI_EXT_DBCN   0x4442434EUL /* "DBCN" */
#define SBI_EXT_SUSP   0x53555350UL /* "SUSP" */
#define SBI_EXT_CPPC   0x43505043UL /* "CPPC" */
#define SBI_EXT_NACL   0x4E41434CUL /* "NACL" */
#define SBI_EXT_STA    0x535441UL   /* "STA" */
#define SBI_EXT_SSE    0x535345UL   /* "SSE" */
#define SBI_EXT_FWFT   0x46574654UL /* "FWFT" */
#define SBI_EXT_DBTR   0x44425452UL /* "DBTR" */
#define SBI_EXT_MPXY   0x4D505859UL /* "MPXY" */

/* BASE functions (ch. 4.1-4.7). */
#define SBI_BASE_GET_SPEC_VERSION 0UL
#define SBI_BASE_GET_IMPL_ID      1UL
#define SBI_BASE_GET_IMPL_VERSION 2UL
#define SBI_BASE_PROBE_EXTENSION  3UL
#define SBI_BASE_GET_MVENDORID    4UL
#define SBI_BASE_GET_MARCHID      5UL
#define SBI_BASE_GET_MIMPID       6UL

/* TIME (ch. 6.1), IPI (ch. 7.1), SRST (ch. 10.1): one function each. */
#define SBI_TIME_SET_TIMER    0UL
#define SBI_IPI_SEND_IPI      0UL
#define SBI_SRST_SYSTEM_RESET 0UL

/* SRST reset types and reasons (ch. 10.1, tables "Type" and "Reason"). */
#define SBI_SRST_TYPE_SHUTDOWN         0UL
#define SBI_SRST_TYPE_COLD_REBOOT      1UL
#define SBI_SRST_TYPE_WARM_REBOOT      2UL
#define SBI_SRST_TYPE_VENDOR_FIRST     0xF0000000UL
#define SBI_SRST_REASON_NONE           0UL
#define SBI_SRST_REASON_SYSTEM_FAILURE 1UL
#define SBI_SRST_REASON_SBI_FIRST      0xE0000000UL

/* RFENCE functions (ch. 8.1-8.7). */
#define SBI_RFENCE_FENCE_I          0UL
#define SBI_RFENCE_SFENCE_VMA       1UL
#define SBI_RFENCE_SFENCE_VMA_ASID  2UL
#define SBI_RFENCE_HFENCE_GVMA_VMID 3UL
#define SBI_RFENCE_HFENCE_GVMA      4UL
#define SBI_RFENCE_HFENCE_VVMA_ASID 5UL
#define SBI_RFENCE_HFENCE_VVMA      6UL

/* HSM functions (ch. 9.1-9.4). */
#define SBI_HSM_HART_START      0UL
#define SBI_HSM_HART_STOP       1UL
#define SBI_HSM_HART_GET_STATUS 2UL
#define SBI_HSM_HART_SUSPEND    3UL
/* HART_SUSPEND types (ch. 9.4, table "HSM Hart Suspend Types"). */
#define SBI_HSM_SUSPEND_DEFAULT_RETENTIVE     0x00000000UL
#define SBI_HSM_SUSPEND_DEFAULT_NON_RETENTIVE 0x80000000UL
/* HSM hart states (ch. 9, table "HSM Hart States"): the value of HART_GET_STATUS. */
#define SBI_HSM_STATE_STARTED       0U
#define SBI_HSM_STATE_STOPPED       1U
#define SBI_HSM_STATE_START_PENDING 2U
#define SBI_HSM_STATE_STOP_PENDING  3U

/* DBCN functions (ch. 12.1-12.3). */
#define SBI_DBCN_CONSOLE_WRITE      0UL
#define SBI_DBCN_CONSOLE_READ       1UL
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2UL

#endif
