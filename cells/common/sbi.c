/* SPDX-License-Identifier: Apache-2.0 */
/* SBI call wrappers (see sbi.h; SBI v2.0 ch. 3 calling convention). */
#include "sbi.h"

struct sbiret sbi_ecall(unsigned long eid, unsigned long fid, unsigned long arg0,
			unsigned long arg1, unsigned long arg2, unsigned long arg3,
			unsigned long arg4, unsigned long arg5)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a3 __asm__("a3") = arg3;
	register unsigned long a4 __asm__("a4") = arg4;
	register unsigned long a5 __asm__("a5") = arg5;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = eid;
	struct sbiret ret;

	/* Only a0 and a1 may change (ch. 3); "memory" because the callee
	 * may read (DBCN write) or write (DBCN read) guest memory. */
	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a6), "r"(a7)
			 : "memory");
	ret.error = (long)a0;
	ret.value = (long)a1;
	return ret;
}

long sbi_legacy(unsigned long eid, unsigned long arg0)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = 0;
	register unsigned long a7 __asm__("a7") = eid;

	/* The legacy extensions return in a0 only; a1 is treated as
	 * clobbered because v0.1 made no promise about it. */
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return (long)a0;
}

void sbi_legacy_set_timer(unsigned long stime_value)
{
	(void)sbi_legacy(SBI_LEGACY_SET_TIMER, stime_value);
}

const char *sbi_err_name(long err)
{
	static const char *const names[] = {
		"SUCCESS",	   "FAILED",	      "NOT_SUPPORTED",	   "INVALID_PARAM",
		"DENIED",	   "INVALID_ADDRESS", "ALREADY_AVAILABLE", "ALREADY_STARTED",
		"ALREADY_STOPPED", "NO_SHMEM",
	};

	if (err <= 0 && err > -(long)(sizeof(names) / sizeof(names[0])))
		return names[-err];
	return "?";
}
