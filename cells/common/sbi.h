/*
 * SBI calls for the test guests (RISC-V SBI specification v2.0).
 *
 * Calling convention (SBI v2.0 ch. 3 "Binary Encoding"): ecall with the
 * extension id in a7, the function id in a6, arguments in a0-a5; the
 * result is the pair (error in a0, value in a1).  The legacy extensions
 * (ch. 5, EIDs 0x00-0x0F) ignore a6 and return one value in a0.
 */
#ifndef CELLS_SBI_H
#define CELLS_SBI_H

/* Standard SBI errors (SBI v2.0 ch. 3, table "Standard SBI Errors"). */
#define SBI_SUCCESS			0
#define SBI_ERR_FAILED			(-1)
#define SBI_ERR_NOT_SUPPORTED		(-2)
#define SBI_ERR_INVALID_PARAM		(-3)
#define SBI_ERR_DENIED			(-4)
#define SBI_ERR_INVALID_ADDRESS		(-5)
#define SBI_ERR_ALREADY_AVAILABLE	(-6)
#define SBI_ERR_ALREADY_STARTED		(-7)
#define SBI_ERR_ALREADY_STOPPED		(-8)
#define SBI_ERR_NO_SHMEM		(-9)

/* Legacy extensions (SBI v2.0 ch. 5). */
#define SBI_LEGACY_SET_TIMER		0x00
#define SBI_LEGACY_CONSOLE_PUTCHAR	0x01
#define SBI_LEGACY_CONSOLE_GETCHAR	0x02
#define SBI_LEGACY_SHUTDOWN		0x08

/* Extension ids (SBI v2.0 ch. 4, 6, 7, 8, 9, 10, 12). */
#define SBI_EXT_BASE	0x10
#define SBI_EXT_TIME	0x54494D45	/* "TIME" */
#define SBI_EXT_IPI	0x735049	/* "sPI"  */
#define SBI_EXT_RFENCE	0x52464E43	/* "RFNC" */
#define SBI_EXT_HSM	0x48534D	/* "HSM"  */
#define SBI_EXT_SRST	0x53525354	/* "SRST" */
#define SBI_EXT_DBCN	0x4442434E	/* "DBCN" */

/* BASE functions (ch. 4.1-4.7). */
#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXTENSION	3
#define SBI_BASE_GET_MVENDORID		4
#define SBI_BASE_GET_MARCHID		5
#define SBI_BASE_GET_MIMPID		6

/* TIME (ch. 6.1), IPI (ch. 7.1). */
#define SBI_TIME_SET_TIMER	0
#define SBI_IPI_SEND_IPI	0

/* RFENCE functions (ch. 8.1-8.7). */
#define SBI_RFENCE_FENCE_I		0
#define SBI_RFENCE_SFENCE_VMA		1
#define SBI_RFENCE_SFENCE_VMA_ASID	2
#define SBI_RFENCE_HFENCE_GVMA_VMID	3
#define SBI_RFENCE_HFENCE_GVMA		4
#define SBI_RFENCE_HFENCE_VVMA_ASID	5
#define SBI_RFENCE_HFENCE_VVMA		6

/* HSM functions and states (ch. 9, table "HSM Hart States"). */
#define SBI_HSM_HART_START	0
#define SBI_HSM_HART_STOP	1
#define SBI_HSM_HART_GET_STATUS	2
#define SBI_HSM_STATE_STARTED		0
#define SBI_HSM_STATE_STOPPED		1
#define SBI_HSM_STATE_START_PENDING	2
#define SBI_HSM_STATE_STOP_PENDING	3

/* DBCN functions (ch. 12.1-12.3). */
#define SBI_DBCN_CONSOLE_WRITE		0
#define SBI_DBCN_CONSOLE_READ		1
#define SBI_DBCN_CONSOLE_WRITE_BYTE	2

struct sbiret {
	long error;
	long value;
};

/* An SBI v0.2+ call: a7 = eid, a6 = fid, a0..a5 = arguments. */
struct sbiret sbi_ecall(unsigned long eid, unsigned long fid,
			unsigned long arg0, unsigned long arg1,
			unsigned long arg2, unsigned long arg3,
			unsigned long arg4, unsigned long arg5);

/* A legacy (v0.1) call: a7 = eid, one argument in a0, result from a0. */
long sbi_legacy(unsigned long eid, unsigned long arg0);

/* Legacy set_timer (EID 0x00): absolute `time` value of the next event;
 * it also clears the pending timer interrupt (SBI v2.0 ch. 5.1). */
void sbi_legacy_set_timer(unsigned long stime_value);

/* "SUCCESS", "NOT_SUPPORTED", ... or "?" for an unknown code. */
const char *sbi_err_name(long err);

#endif
