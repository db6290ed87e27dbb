/* SBI numbering shared by the guest-facing SBI and the firmware calls (SBI spec v2.0). */
#ifndef BULKHEAD_SBI_DEFS_H
#define BULKHEAD_SBI_DEFS_H

#define SBI_SUCCESS                0L
#define SBI_ERR_FAILED            (-1L)
#define SBI_ERR_NOT_SUPPORTED     (-2L)
#define SBI_ERR_INVALID_PARAM     (-3L)
#define SBI_ERR_DENIED            (-4L)
#define SBI_ERR_INVALID_ADDRESS   (-5L)
#define SBI_ERR_ALREADY_AVAILABLE (-6L)
#define SBI_ERR_ALREADY_STARTED   (-7L)
#define SBI_ERR_ALREADY_STOPPED   (-8L)

#define SBI_EXT_LEGACY_SET_TIMER      0x00UL
#define SBI_EXT_LEGACY_PUTCHAR        0x01UL
#define SBI_EXT_LEGACY_GETCHAR        0x02UL
#define SBI_EXT_LEGACY_SHUTDOWN       0x08UL
#define SBI_EXT_BASE   0x10UL
#define SBI_EXT_TIME   0x54494D45UL
#define SBI_EXT_IPI    0x735049UL
#define SBI_EXT_RFENCE 0x52464E43UL
#define SBI_EXT_HSM    0x48534DUL
#define SBI_EXT_SRST   0x53525354UL
#define SBI_EXT_DBCN   0x4442434EUL
/* Bulkhead's own calls live in the firmware-specific range (SBI spec ch. 3). */
#define SBI_EXT_BULKHEAD 0x0B48EAD0UL

#define SBI_BASE_GET_SPEC_VERSION 0UL
#define SBI_BASE_GET_IMPL_ID      1UL
#define SBI_BASE_GET_IMPL_VERSION 2UL
#define SBI_BASE_PROBE_EXT        3UL
#define SBI_BASE_GET_MVENDORID    4UL
#define SBI_BASE_GET_MARCHID      5UL
#define SBI_BASE_GET_MIMPID       6UL

#define SBI_RFENCE_FENCE_I          0UL
#define SBI_RFENCE_SFENCE_VMA       1UL
#define SBI_RFENCE_SFENCE_VMA_ASID  2UL
#define SBI_RFENCE_HFENCE_VVMA_ASID 5UL
#define SBI_RFENCE_HFENCE_VVMA      6UL

#define SBI_HSM_HART_START   0UL
#define SBI_HSM_HART_STOP    1UL
#define SBI_HSM_HART_STATUS  2UL
#define SBI_HSM_HART_SUSPEND 3UL

#endif
