# SPDX-License-Identifier: Apache-2.0
# Bulkhead: `make run` boots the default system, `make test` proves everything.
# Both install whatever Debian packages are missing first (ci/install-deps.sh).
# `make help` lists every target and variable.

CONFIG   ?= linux-baremetal
BUILD    ?= build
O        := $(BUILD)/$(CONFIG)
PYTHON   := /usr/bin/python3
HOSTCC   ?= gcc
CROSS    ?= riscv64-unknown-elf-

RUN_SECONDS ?=
RUN_INPUT   ?=
RUN_ARGS    ?=
VIEW        ?=
SERIAL      ?=

SYSTEM_DTS   := configs/$(CONFIG).dts
# The platform the system names (bulkhead,platform); bhconfig checks they agree.
PLATFORM ?= $(or $(shell sed -n 's/^[[:space:]]*bulkhead,platform = "\([^"]*\)";.*/\1/p' $(SYSTEM_DTS) 2>/dev/null | head -n 1),qemu-virt)
PLATFORM_DTS := dts/$(PLATFORM).dts
PLATFORM_QEMU := dts/$(PLATFORM).qemu

.DEFAULT_GOAL := all

# `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif
.DELETE_ON_ERROR:

include tools/bhconfig/bhconfig.mk
include cells/cells.mk
include cells/linux/linux.mk
include cells/rtthread.mk
include tests/unit-hyp/unit-hyp.mk
include bench/bench.mk
include ci/analyze/analyze.mk
include ci/prove/prove.mk
include tools/firmware/firmware.mk

# ---------------------------------------------------------------- Kconfig
KCONFIG := $(PYTHON) tools/kconfig.py
DEFCONFIG := configs/$(CONFIG).defconfig

$(O)/.config: Kconfig $(DEFCONFIG)
	@mkdir -p $(O)
	$(KCONFIG) olddefconfig Kconfig $(DEFCONFIG) $@
	@touch $@

$(O)/gen/autoconf.h: $(O)/.config
	$(KCONFIG) header Kconfig $< $@

# The resolved options steer which files are built (e.g. statistics on or off).
# Reading $(O)/.config makes make create it first (kconfiglib), so goals that
# build nothing of this system do not read it: `make help` prints only its text,
# and `make run`/`make test` install the Debian packages (kconfiglib among them)
# before their sub-make configures and builds.
NO_CONFIG_GOALS := help deps run test bench mutate prove prove-only prove-eva/% prove-wp-job clean distclean
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),all)),)
-include $(O)/.config
endif

# ---------------------------------------------------------------- config compiler
# Images named by the system config; each is built by its own rule.
CELL_IMAGE_NAMES := $(shell sed -n 's/^[[:space:]]*image[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' $(SYSTEM_DTS) 2>/dev/null)
CELL_IMAGES := $(CELL_IMAGE_NAMES:%=$(BUILD)/images/%.bin)

GEN_FILES := $(O)/gen/config.h $(O)/gen/cells.c $(O)/gen/gstage.c $(O)/gen/images.S

$(O)/gen/cells.c: $(SYSTEM_DTS) $(PLATFORM_DTS) $(O)/.config $(CELL_IMAGES) $(BHCONFIG)
	@test -f $(SYSTEM_DTS) || { echo "no system config $(SYSTEM_DTS) (CONFIG=$(CONFIG)); see configs/" >&2; exit 1; }
	$(BHCONFIG) --system $(SYSTEM_DTS) --platform $(PLATFORM_DTS) --kconfig $(O)/.config \
		--image-dir $(BUILD)/images --out $(O)
$(O)/gen/config.h $(O)/gen/gstage.c $(O)/gen/images.S: $(O)/gen/cells.c
	@test -f $@

# ---------------------------------------------------------------- hypervisor
HYP_ARCH_FLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
HYP_CFLAGS := $(HYP_ARCH_FLAGS) -std=c11 -ffreestanding -fno-builtin -nostdlib -fno-common -fno-pic \
	-fno-asynchronous-unwind-tables -fstack-usage -O2 -g \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wundef \
	-Wcast-align -Wswitch-enum -Wno-switch-enum -Wformat=2 -Wframe-larger-than=1024 \
	-Isrc/include -Isrc/arch/riscv/include -I$(O)/gen \
	-DBH_SYSTEM_NAME='"$(CONFIG)"'

HYP_STATS_ON := src/core/stats_report.c
HYP_STATS_OFF := src/core/stats_report_off.c
HYP_STATS_SRC := $(if $(filter y,$(CONFIG_STATS)),$(HYP_STATS_ON),$(HYP_STATS_OFF))
# The platform's interrupt controller picks the driver (docs/interrupts.md): the
# PLIC with direct mode, or the AIA's APLIC and IMSIC (no PLIC, no direct mode).
IRQCHIP := $(if $(shell grep -s -l 'riscv,imsics' $(PLATFORM_DTS)),aia,plic)
HYP_IRQCHIP_plic := src/drivers/plic.c src/drivers/hostirq_plic.c src/core/irq_direct.c src/core/irq_aia_absent.c
HYP_IRQCHIP_aia := src/drivers/aplic.c src/drivers/imsic.c src/drivers/hostirq_aia.c src/core/irq_direct_absent.c \
	src/core/irq_aia.c src/core/vaplic.c src/core/vaplic_vsource.c
HYP_IRQCHIP_ALL := $(HYP_IRQCHIP_plic) $(HYP_IRQCHIP_aia)
# A platform with a RISC-V IOMMU gets its driver (docs/devices.md); any other the empty one.
HYP_IOMMU_ALL := src/drivers/iommu.c src/drivers/iommu_absent.c
HYP_IOMMU_SRC := $(if $(shell grep -s -l 'riscv,iommu' $(PLATFORM_DTS)),src/drivers/iommu.c,src/drivers/iommu_absent.c)
HYP_SRCS := $(filter-out $(HYP_STATS_ON) $(HYP_STATS_OFF) $(HYP_IRQCHIP_ALL),$(wildcard src/core/*.c)) $(HYP_STATS_SRC) \
	$(filter-out $(HYP_IRQCHIP_ALL) $(HYP_IOMMU_ALL),$(wildcard src/drivers/*.c)) $(HYP_IRQCHIP_$(IRQCHIP)) $(HYP_IOMMU_SRC) \
	$(wildcard src/arch/riscv/*.c) $(wildcard src/arch/riscv/*.S)
HYP_OBJS := $(patsubst src/%,$(O)/obj/%.o,$(HYP_SRCS)) \
	$(O)/obj/gen/cells.c.o $(O)/obj/gen/gstage.c.o $(O)/obj/gen/images.S.o
HYP_DEPS := $(HYP_OBJS:.o=.d)

$(O)/obj/%.c.o: src/%.c $(O)/gen/config.h $(O)/gen/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CROSS)gcc $(HYP_CFLAGS) -MMD -MP -c $< -o $@
$(O)/obj/%.S.o: src/%.S $(O)/gen/config.h $(O)/gen/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CROSS)gcc $(HYP_CFLAGS) -MMD -MP -c $< -o $@
$(O)/obj/gen/%.c.o: $(O)/gen/%.c $(O)/gen/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CROSS)gcc $(HYP_CFLAGS) -MMD -MP -c $< -o $@
$(O)/obj/gen/%.S.o: $(O)/gen/%.S $(O)/gen/config.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CROSS)gcc $(HYP_CFLAGS) -MMD -MP -c $< -o $@

$(O)/bulkhead.ld: src/arch/riscv/bulkhead.ld.in src/arch/riscv/include/arch/hart_stack.h $(O)/gen/config.h $(O)/gen/autoconf.h
	$(Q)$(CROSS)gcc -E -P -x c -I$(O)/gen -Isrc/arch/riscv/include $< -o $@

$(O)/bulkhead.elf: $(HYP_OBJS) $(O)/bulkhead.ld
	@echo "  LD      $@"
	$(Q)$(CROSS)gcc $(HYP_ARCH_FLAGS) -nostdlib -static -T $(O)/bulkhead.ld \
		-Wl,-Map,$(O)/bulkhead.map $(HYP_OBJS) -o $@
	@$(CROSS)size -A $@ | awk '$$1 ~ /^\.(text|rodata|data|bss)$$/ { s[$$1]=$$2 } \
		END { printf "bulkhead: text %d rodata %d data %d bss %d bytes\n", s[".text"], s[".rodata"], s[".data"], s[".bss"] }'

$(O)/bulkhead.bin: $(O)/bulkhead.elf
	$(CROSS)objcopy -O binary $< $@

-include $(HYP_DEPS)

# ---------------------------------------------------------------- user targets
.PHONY: all deps run run-only test test-only mutate menuconfig olddefconfig savedefconfig clean distclean help

all: $(O)/bulkhead.elf
	@echo "built $(O)/bulkhead.elf for $(CONFIG): memory map in $(O)/memory-map.txt"

deps:
	@bash ci/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory run-only

RUNNER := $(PYTHON) tools/run.py --build $(O) --platform-qemu $(PLATFORM_QEMU) \
	$(if $(RUN_SECONDS),--seconds $(RUN_SECONDS)) $(if $(RUN_INPUT),--input $(RUN_INPUT)) \
	$(if $(VIEW),--view $(VIEW)) $(if $(SERIAL),--serial $(SERIAL)) $(RUN_ARGS)

# Extra QEMU devices a system needs (e.g. a virtio backend) live beside its config.
EXTRA_QEMU_FILE := configs/$(CONFIG).qemu

$(O)/extra.qemu: $(wildcard $(EXTRA_QEMU_FILE))
	@mkdir -p $(O)
	$(Q)if [ -f $(EXTRA_QEMU_FILE) ]; then cp $(EXTRA_QEMU_FILE) $@; else : > $@; fi

all: $(O)/extra.qemu

# A system's virtio-blk disk ({build}/disk.img in its configs/<name>.qemu): an
# 8 MiB ext2 image of the files under configs/<name>.disk/, made again when
# they change (the guest's writes to it last until then).
DISK_DIR := configs/$(CONFIG).disk
MKE2FS   := /usr/sbin/mke2fs

ifneq ($(wildcard $(DISK_DIR)),)
$(O)/disk.img: $(shell find $(DISK_DIR) -type f 2>/dev/null)
	@mkdir -p $(O)
	$(Q)rm -f $@.tmp && $(MKE2FS) -q -t ext2 -L $(CONFIG) -d $(DISK_DIR) $@.tmp 8M >/dev/null && mv $@.tmp $@

all: $(O)/disk.img
endif

run-only: all
	$(RUNNER)

# Every system the tests boot; each is an ordinary `make CONFIG=<name>` build.
# linux-rtthread and linux-rtthread-aia are tested with the rtos-contract guest standing in for RT-Thread;
# `make test RTTHREAD_SRC=<checkout>` also builds and boots that checkout
# (tests/suites/rtthread_build.py, rtthread_real), which the tests get as
# BH_TEST_RTTHREAD_SRC.
TEST_SYSTEMS := baremetal-pair baremetal-pair-aia linux-baremetal irq-direct irq-trap irq-trap-aia irq-aia hostile-aia \
	hostile-memprobe hostile-sbi hostile-priv hostile-crash \
	hostile-console hostile-storm rtos64 harts-past-64 shmem-pair hostile-shmem hostile-dma \
	linux-pci-aia hostile-dma-aia
TEST_RTTHREAD_IMAGE := $(BUILD)/images/rtos-contract.bin

test: deps
	@$(MAKE) --no-print-directory test-only

test-only: $(BHCONFIG) bhconfig-tests hyp-unit-tests
	@for s in $(TEST_SYSTEMS); do $(MAKE) --no-print-directory CONFIG=$$s all || exit 1; done
	@$(MAKE) --no-print-directory CONFIG=linux-rtthread RTTHREAD_SRC= RTTHREAD_IMAGE=$(TEST_RTTHREAD_IMAGE) all
	@$(MAKE) --no-print-directory CONFIG=linux-rtthread-aia RTTHREAD_SRC= RTTHREAD_IMAGE=$(TEST_RTTHREAD_IMAGE) all
	env -u RTTHREAD_SRC -u RTTHREAD_IMAGE \
		BH_TEST_RTTHREAD_SRC="$(if $(strip $(RTTHREAD_SRC)),$(abspath $(RTTHREAD_SRC)))" \
		$(PYTHON) tests/run.py --build $(BUILD)

# Planted bugs (ci/mutate/mutants.txt) in a scratch copy under $(BUILD)/mutate, each
# against the fast tests that must catch it; a full run writes docs/safety/mutation.md.
MUTANTS ?=
mutate:
	$(PYTHON) ci/mutate/mutate.py --work $(BUILD)/mutate $(if $(MUTANTS),--only $(MUTANTS))

menuconfig: $(O)/.config
	$(KCONFIG) menuconfig Kconfig $<

olddefconfig:
	@rm -f $(O)/.config
	@$(MAKE) --no-print-directory $(O)/.config

savedefconfig: $(O)/.config
	$(KCONFIG) savedefconfig Kconfig $< $(DEFCONFIG)

clean:
	rm -rf $(O)

distclean:
	rm -rf $(BUILD)

help:
	@echo "Bulkhead - static-partitioning hypervisor for RISC-V (H extension)"
	@echo ""
	@echo "First commands (they install missing Debian packages, root or sudo):"
	@echo "  make run                 build and boot CONFIG in QEMU (interactive)"
	@echo "  make test                build everything and run every test"
	@echo ""
	@echo "Targets:"
	@echo "  all (default)            build $(O)/bulkhead.elf, cell DTBs, memory map"
	@echo "  run / run-only           boot CONFIG in QEMU (run-only skips the install step)"
	@echo "  test / test-only         unit, config-compiler and QEMU system tests"
	@echo "  deps                     install missing Debian packages only"
	@echo "  bhconfig                 build the host config compiler"
	@echo "  guests                   build the bare-metal test guests"
	@echo "  linux                    build the Linux cell image (cached under $(BUILD)/linux)"
	@echo "  busybox                  build the Linux cell's BusyBox (cached under $(BUILD)/busybox)"
	@echo "  menuconfig               edit build options of CONFIG ($(O)/.config)"
	@echo "  olddefconfig             re-resolve $(O)/.config from configs/CONFIG.defconfig"
	@echo "  savedefconfig            write $(O)/.config back to configs/CONFIG.defconfig"
	@echo "  analyze                  static analysis (MISRA, clang-tidy, stack), requirements trace; refreshes the generated docs/safety/ files;"
	@echo "                           then the proof gate (as make prove)"
	@echo "  format                   lay out every C file with clang-format (checked by analyze)"
	@echo "  bench                    benchmarks into $(BUILD)/bench (never fails on a number)"
	@echo "  mutate                   plant each bug of ci/mutate/mutants.txt in a scratch copy and check"
	@echo "                           a fast test catches it; writes docs/safety/mutation.md"
	@echo "  prove                    Frama-C EVA over every hypervisor path of each PROVE_CONFIGS system;"
	@echo "                           fails on an alarm without a record; then WP proves the isolation"
	@echo "                           contracts (docs/safety/proof.md)"
	@echo "  clean / distclean        remove $(O) / all of $(BUILD)"
	@echo ""
	@echo "Variables:"
	@echo "  CONFIG=<name>            system config configs/<name>.dts (default linux-baremetal)"
	@echo "  PLATFORM=<name>          platform dts/<name>.dts (default: the system's bulkhead,platform)"
	@echo "  RUN_SECONDS=N            run headless for N s, logs in $(O)/logs/<cell>.log"
	@echo "  RUN_INPUT=<file>         scripted console input (docs/runner.md)"
	@echo "  VIEW=split               make run: one tmux pane per cell and one for the hypervisor"
	@echo "  SERIAL=/dev/ttyUSB0      make run: a board's serial port instead of QEMU"
	@echo "  RUN_ARGS='...'           extra runner options (--icount, --gdb, --baud N)"
	@echo "  RTTHREAD_SRC=<dir>       RT-Thread 5.0.x checkout: build its qemu-virt64-riscv BSP for"
	@echo "                           CONFIG=linux-rtthread (cached under $(BUILD)/rtthread)"
	@echo "  RTTHREAD_IMAGE=<path>    or a prebuilt S-mode image (rtthread.elf or .bin)"
	@echo "  MUTANTS=id1,id2          make mutate: only these mutants (report in $(BUILD)/mutate)"
	@echo "  PROVE_CONFIGS='a b'      make prove: only these systems (default: $(PROVE_CONFIGS))"
	@echo "  PROVE_JOBS=N             make prove: Frama-C runs at a time (default $(PROVE_JOBS))"
	@echo "  PROVE_STAND_INS='a b'    make prove: images replaced by a stand-in of the largest size the"
	@echo "                           system accepts (default: linux, and rtthread unless RTTHREAD_IMAGE"
	@echo "                           or RTTHREAD_SRC is given; docs/safety/proof.md)"
	@echo "  BUILD=<dir>              build directory (default build)"
	@echo "  CROSS=<prefix>           bare-metal cross compiler prefix (default riscv64-unknown-elf-)"
	@echo ""
	@echo "Systems: $(patsubst configs/%.dts,%,$(wildcard configs/*.dts))"
