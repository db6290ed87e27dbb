/* SPDX-License-Identifier: Apache-2.0 */
/* CSR access and the S-mode CSR bits the test guests use
 * (RISC-V privileged spec v1.12/v1.13, ch. "Supervisor-Level ISA"). */
#ifndef CELLS_CSR_H
#define CELLS_CSR_H

/*
 * Two macro levels so that a CSR given as a macro (CSR_STIMECMP) is
 * expanded to its number before it is turned into a string.
 */
#define CSR_STR_(x) #x
#define CSR_STR(x)  CSR_STR_(x)

#define csr_read(csr) \
	({ \
		unsigned long __v; \
		__asm__ volatile("csrr %0, " CSR_STR(csr) : "=r"(__v)::"memory"); \
		__v; \
	})
#define csr_write(csr, val) \
	({ \
		unsigned long __v = (unsigned long)(val); \
		__asm__ volatile("csrw " CSR_STR(csr) ", %0" ::"rK"(__v) : "memory"); \
	})
#define csr_set(csr, val) \
	({ \
		unsigned long __v = (unsigned long)(val); \
		__asm__ volatile("csrs " CSR_STR(csr) ", %0" ::"rK"(__v) : "memory"); \
	})
#define csr_clear(csr, val) \
	({ \
		unsigned long __v = (unsigned long)(val); \
		__asm__ volatile("csrc " CSR_STR(csr) ", %0" ::"rK"(__v) : "memory"); \
	})
/* Atomically clear bits and return the old value. */
#define csr_read_clear(csr, val) \
	({ \
		unsigned long __o, __v = (unsigned long)(val); \
		__asm__ volatile("csrrc %0, " CSR_STR(csr) ", %1" \
				 : "=r"(__o) \
				 : "rK"(__v) \
				 : "memory"); \
		__o; \
	})

/* Sstc: stimecmp is CSR 0x14D (Sstc spec); GCC 12's assembler has no name for it. */
#define CSR_STIMECMP 0x14d

#define SSTATUS_SIE (1UL << 1)

/* sie / sip bits = interrupt codes in scause */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define SIE_SSIE    (1UL << IRQ_S_SOFT)
#define SIE_STIE    (1UL << IRQ_S_TIMER)
#define SIE_SEIE    (1UL << IRQ_S_EXT)
#define SIP_SSIP    SIE_SSIE
#define SIP_STIP    SIE_STIE

#define SCAUSE_INTERRUPT (1UL << 63)
#define SCAUSE_CODE(c)	 ((c) & ~SCAUSE_INTERRUPT)

/* Exception codes used to decide whether an instruction can be skipped. */
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS	    1
#define EXC_ILLEGAL_INSN    2
#define EXC_INSN_PAGE_FAULT 12
#define EXC_INSN_GUEST_PAGE 20

/* Retired instructions (Zicntr); under QEMU -icount every instruction of the
 * machine. The memory clobber keeps a measured access between two reads. */
static inline unsigned long rdinstret(void)
{
	unsigned long n;

	__asm__ volatile("rdinstret %0" : "=r"(n)::"memory");
	return n;
}

/* The `time` CSR via rdtime (Zicntr); in a cell it is offset by htimedelta. */
static inline unsigned long rdtime(void)
{
	unsigned long t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

/* The slot (0 = boot hart, 1 = HSM-started hart) kept in tp by start.S. */
static inline unsigned long hart_slot(void)
{
	unsigned long s;
	__asm__ volatile("mv %0, tp" : "=r"(s));
	return s;
}

#endif
