# SPDX-License-Identifier: Apache-2.0
# cells/cells.mk - the project's bare-metal test guests.
#
# Included by the top Makefile after it has set BUILD (rules are expanded
# when this file is read).  Produces, for every
# guest in CELLS_GUESTS:
#   $(BUILD)/images/<name>.elf   linked at 0x80200000 (load = entry)
#   $(BUILD)/images/<name>.bin   objcopy -O binary of it
# with objects under $(BUILD)/cells/<name>/.  `make guests` builds all.
#
# Every variable and rule here is prefixed CELLS_/cells so the fragment
# does not collide with the hypervisor's own flags.

BUILD ?= build

CELLS_CROSS   ?= riscv64-unknown-elf-
CELLS_CC      := $(CELLS_CROSS)gcc
CELLS_OBJCOPY := $(CELLS_CROSS)objcopy

CELLS_GUESTS := rtos-contract probe irqtest

# Freestanding: Debian's riscv64-unknown-elf-gcc 12 ships picolibc, which
# the guests do not use.  GCC 12 needs zicsr/zifencei spelled out for CSR
# instructions and fence.i.  src/include gives the guests the two headers
# they share with the hypervisor: bulkhead/abi.h (Bulkhead's SBI extension,
# the statistics counters) and bulkhead/sbi_defs.h (SBI numbering).
CELLS_ARCH    := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
CELLS_CFLAGS  := $(CELLS_ARCH) -ffreestanding -nostdlib -fno-pic \
                 -fno-stack-protector -fno-unwind-tables \
                 -fno-asynchronous-unwind-tables \
                 -Wall -Wextra -Werror -O2 -g -MMD -MP -Icells/common -Isrc/include
CELLS_LDSCRIPT := cells/common/guest.ld
CELLS_LDFLAGS := $(CELLS_ARCH) -nostdlib -nostartfiles -static \
                 -T $(CELLS_LDSCRIPT) -Wl,--no-warn-rwx-segments

CELLS_COMMON_SRCS := cells/common/start.S cells/common/trap_entry.S \
                     cells/common/sbi.c cells/common/uart.c \
                     cells/common/print.c cells/common/lib.c

# Shared by some guests only, so the others' images stay as they are:
#   cells/common/fdt.c            the bounds-checked DTB walker
#   cells/common/rtos_contract.c  RT-Thread's contract (rtos-contract, victim)
CELLS_rtos-contract_SRCS := cells/rtos-contract/main.c cells/rtos-contract/channel.c \
                            cells/common/rtos_contract.c cells/common/bhshm.c cells/common/fdt.c
CELLS_probe_SRCS         := cells/probe/main.c cells/probe/fdt.c \
                            cells/common/fdt.c cells/common/secondary.S
# irqtest: device interrupts through the PLIC, counted in exits; also the
# "intruder" mode of the interrupt tests (docs/interrupts.md).
CELLS_irqtest_SRCS       := cells/irqtest/main.c cells/irqtest/intruder.c \
                            cells/irqtest/virtio.c cells/irqtest/fdt.c \
                            cells/irqtest/out.c cells/irqtest/aia.c cells/common/fdt.c

GUEST_IMAGES := $(foreach g,$(CELLS_GUESTS),$(BUILD)/images/$(g).bin)

.PHONY: guests
guests: $(GUEST_IMAGES) $(foreach g,$(CELLS_GUESTS),$(BUILD)/images/$(g).elf)

# $(1) = guest name.  cells/common/X.{c,S} -> $(BUILD)/cells/$(1)/common/X.o,
# cells/$(1)/X.{c,S} -> $(BUILD)/cells/$(1)/X.o.
define CELLS_GUEST_RULES
CELLS_$(1)_ALL_SRCS := $$(sort $(CELLS_COMMON_SRCS) $$(CELLS_$(1)_SRCS))
CELLS_$(1)_COMMON   := $$(filter cells/common/%,$$(CELLS_$(1)_ALL_SRCS))
CELLS_$(1)_OWN      := $$(filter cells/$(1)/%,$$(CELLS_$(1)_ALL_SRCS))
CELLS_$(1)_OBJS     := \
	$$(patsubst cells/common/%,$(BUILD)/cells/$(1)/common/%.o,$$(basename $$(CELLS_$(1)_COMMON))) \
	$$(patsubst cells/$(1)/%,$(BUILD)/cells/$(1)/%.o,$$(basename $$(CELLS_$(1)_OWN)))

$(BUILD)/cells/$(1)/common/%.o: cells/common/%.c
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -c -o $$@ $$<

$(BUILD)/cells/$(1)/common/%.o: cells/common/%.S
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -c -o $$@ $$<

$(BUILD)/cells/$(1)/%.o: cells/$(1)/%.c
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -c -o $$@ $$<

$(BUILD)/cells/$(1)/%.o: cells/$(1)/%.S
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -c -o $$@ $$<

$(BUILD)/images/$(1).elf: $$(CELLS_$(1)_OBJS) $(CELLS_LDSCRIPT)
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_LDFLAGS) -o $$@ $$(CELLS_$(1)_OBJS) -lgcc

$(BUILD)/images/$(1).bin: $(BUILD)/images/$(1).elf
	$$(Q)$$(CELLS_OBJCOPY) -O binary $$< $$@

-include $$(CELLS_$(1)_OBJS:.o=.d)
endef

$(foreach g,$(CELLS_GUESTS),$(eval $(call CELLS_GUEST_RULES,$(g))))

# ---------------------------------------------------------------- hostile guests
# cells/hostile: the isolation test guests (docs/faults.md).  Both images are
# built from the one directory, so they get rules of their own in the style
# of CELLS_GUEST_RULES above:
#   hostile  the attacker; what it attacks comes from /chosen/bootargs of its
#            DTB.  Linked at guest-physical 0x100200000 (cells/hostile/hostile.ld)
#            so that its RAM lies above every host address it probes.
#   victim   rtos-contract's contract plus a memory pattern it checksums every
#            second; linked at 0x80200000 like the other guests.
CELLS_HOSTILE_GUESTS := hostile victim

CELLS_hostile_HSRCS := cells/hostile/main.c cells/hostile/lib.c cells/hostile/bootargs.c \
                       cells/hostile/memprobe.c cells/hostile/sbifuzz.c cells/hostile/priv.c \
                       cells/hostile/ipiflood.c cells/hostile/crash.c cells/hostile/console.c \
                       cells/hostile/conattack.c cells/hostile/storm.c cells/hostile/pristine.c \
                       cells/hostile/shmprobe.c cells/hostile/aiaprobe.c cells/hostile/dmaprobe.c \
                       cells/common/fdt.c cells/common/secondary.S
CELLS_hostile_LDS   := cells/hostile/hostile.ld
CELLS_victim_HSRCS  := cells/hostile/victim.c cells/common/rtos_contract.c
CELLS_victim_LDS    := $(CELLS_LDSCRIPT)

# $(1) = image name; cells/common/X -> $(BUILD)/cells/$(1)/common/X.o,
# cells/hostile/X -> $(BUILD)/cells/$(1)/X.o.
define CELLS_HOSTILE_RULES
CELLS_$(1)_HALL    := $$(sort $(CELLS_COMMON_SRCS) $$(CELLS_$(1)_HSRCS))
CELLS_$(1)_HOBJS   := \
	$$(patsubst cells/common/%,$(BUILD)/cells/$(1)/common/%.o,$$(basename $$(filter cells/common/%,$$(CELLS_$(1)_HALL)))) \
	$$(patsubst cells/hostile/%,$(BUILD)/cells/$(1)/%.o,$$(basename $$(filter cells/hostile/%,$$(CELLS_$(1)_HALL))))

$(BUILD)/cells/$(1)/common/%.o: cells/common/%.c
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -Icells/hostile -c -o $$@ $$<

$(BUILD)/cells/$(1)/common/%.o: cells/common/%.S
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -Icells/hostile -c -o $$@ $$<

$(BUILD)/cells/$(1)/%.o: cells/hostile/%.c
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(CELLS_CFLAGS) -Icells/hostile -c -o $$@ $$<

$(BUILD)/images/$(1).elf: $$(CELLS_$(1)_HOBJS) $$(CELLS_$(1)_LDS)
	@mkdir -p $$(@D)
	$$(Q)$$(CELLS_CC) $$(filter-out -T $(CELLS_LDSCRIPT),$$(CELLS_LDFLAGS)) -T $$(CELLS_$(1)_LDS) \
		-o $$@ $$(CELLS_$(1)_HOBJS) -lgcc

$(BUILD)/images/$(1).bin: $(BUILD)/images/$(1).elf
	$$(Q)$$(CELLS_OBJCOPY) -O binary $$< $$@

-include $$(CELLS_$(1)_HOBJS:.o=.d)
endef

$(foreach g,$(CELLS_HOSTILE_GUESTS),$(eval $(call CELLS_HOSTILE_RULES,$(g))))

guests: $(foreach g,$(CELLS_HOSTILE_GUESTS),$(BUILD)/images/$(g).bin $(BUILD)/images/$(g).elf)

# ---------------------------------------------------------------- bench guest
# cells/bench: the benchmark guest (bench/bench.mk, tools/bench/).  Built by
# CELLS_GUEST_RULES like the test guests above; kept out of CELLS_GUESTS so
# that list stays the test guests'.
CELLS_BENCH_GUESTS := bench

CELLS_bench_SRCS := cells/bench/main.c cells/bench/vectors.S cells/common/secondary.S

$(foreach g,$(CELLS_BENCH_GUESTS),$(eval $(call CELLS_GUEST_RULES,$(g))))

guests: $(foreach g,$(CELLS_BENCH_GUESTS),$(BUILD)/images/$(g).bin $(BUILD)/images/$(g).elf)
