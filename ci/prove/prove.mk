# SPDX-License-Identifier: Apache-2.0
# `make prove`: Frama-C's EVA over every hypervisor path of each system in
# PROVE_CONFIGS, with that system's generated tables, from the entry points
# ci/prove/harness.c drives and with the hardware of ci/prove/model/
# (docs/safety/proof.md). ci/prove/prove.py fails on any alarm without a record
# in docs/safety/proof-alarms.md, on a record whose alarm no longer appears, on
# a failed harness assertion and when fewer statements are reached than
# recorded there.
#
#   make prove                          every system of PROVE_CONFIGS
#   make prove PROVE_CONFIGS=<name>     that system only
#
# Included by the top Makefile after HYP_SRCS is defined.

ifndef BH_PROVE_MK_INCLUDED
BH_PROVE_MK_INCLUDED := 1

# Every system of configs/ but rtos64, of 64 one-hart cells (see
# docs/safety/proof.md, "What is not covered"); each takes 20 to 80 s of one
# core (docs/safety/proof-alarms.md). The longest first: they run PROVE_JOBS
# at a time.
PROVE_CONFIGS ?= harts-past-64 linux-rtthread-aia hostile-aia hostile-console linux-pci-aia linux-baremetal \
	irq-trap-aia hostile-shmem baremetal-pair-aia irq-trap irq-direct hostile-dma-aia linux-rtthread \
	hostile-sbi baremetal-pair irq-aia hostile-storm hostile-dma hostile-crash hostile-memprobe shmem-pair \
	hostile-priv bench-linux bench-guest
PROVE_DIR     := $(BUILD)/prove
PROVE_RECORDS ?= docs/safety/proof-alarms.md
PROVE_ARGS    ?=

# The hypervisor's C files as the build compiles them, but the firmware call's
# inline assembly (sbi_ecall.c) replaced by its model; the model's headers come
# first on the include path (arch/csr_ops.h, arch/this_hart.h).
PROVE_HYP_SRCS = $(filter-out src/arch/riscv/sbi_ecall.c,$(filter %.c,$(HYP_SRCS)))
PROVE_MODEL_SRCS := ci/prove/model/hardware.c ci/prove/model/sbi_ecall.c ci/prove/harness.c

# The tables EVA analyzes: the config compiler's output for this system, with a
# stand-in for each image of PROVE_STAND_INS (ci/prove/tables.py): an empty
# image of the largest size the system accepts. The hypervisor reads an image
# only through its size, so the proof covers every image up to that size
# without building the Linux kernel (minutes) or needing a user's RT-Thread.
# RTTHREAD_IMAGE or RTTHREAD_SRC puts that RT-Thread into the proof instead,
# as PROVE_STAND_INS= does with every image the build makes.
PROVE_STAND_INS ?= linux $(if $(strip $(RTTHREAD_IMAGE)$(RTTHREAD_SRC)),,rtthread)
PROVE_OUT  = $(PROVE_DIR)/$(CONFIG)
PROVE_GEN  = $(PROVE_OUT)/tables/gen
PROVE_IMAGES = $(filter-out $(PROVE_STAND_INS:%=$(BUILD)/images/%.bin),$(CELL_IMAGES))

define PROVE_INPUTS
config=$(CONFIG)
srcs=$(PROVE_HYP_SRCS) $(PROVE_GEN)/cells.c $(PROVE_GEN)/gstage.c $(PROVE_MODEL_SRCS)
cpp=-include ci/prove/model/atomics.h -Ici/prove/model/include -Ici/prove -Isrc/include -Isrc/arch/riscv/include -I$(PROVE_GEN) -DBH_SYSTEM_NAME=\"$(CONFIG)\"
config_h=$(PROVE_GEN)/config.h
cells_c=$(PROVE_GEN)/cells.c
records=$(PROVE_RECORDS)
out=$(PROVE_OUT)
endef

.PHONY: prove prove-only prove-one prove-wp prove-inputs prove-wp-job

prove: deps
	@$(MAKE) --no-print-directory prove-only

# Each system in a sub-make of its own (CONFIG, and so HYP_SRCS, differ); all
# are run before the verdict so that one report lists every system's result.
# The tables of every system are generated one system after the other (the
# sub-makes share the config compiler's build); then the EVA runs, one
# single-threaded Frama-C per system, and the WP step run PROVE_JOBS at a time
# (-k: every system is judged even when one fails), longest first.
# PROVE_WP=0 leaves the WP step out (the proof suite runs it as a test of its own).
PROVE_JOBS ?= 2
PROVE_WP   ?= 1

prove-only:
	@for c in $(sort $(PROVE_CONFIGS) $(if $(filter 1,$(PROVE_WP)),$(PROVE_WP_CONFIG))); do \
		$(MAKE) --no-print-directory CONFIG=$$c prove-inputs || exit 1; \
	done
	@$(MAKE) --no-print-directory -k -j$(PROVE_JOBS) $(addprefix prove-eva/,$(PROVE_CONFIGS)) \
		$(if $(filter 1,$(PROVE_WP)),prove-wp-job); \
	$(PYTHON) ci/prove/prove.py --summary $(PROVE_DIR) $(PROVE_CONFIGS) $(if $(filter 1,$(PROVE_WP)),--summary-wp)

prove-eva/%:
	@$(PYTHON) ci/prove/prove.py --inputs $(PROVE_DIR)/$*/inputs.txt $(PROVE_ARGS)

prove-wp-job:
	@$(PROVE_WP_RUN)

# WP proves the contracts of the functions prove.py names (WP_TARGETS, and
# EVA the harnesses of EVA_PROOFS); they depend on no table, so one system's
# headers serve. PROVE_WP_ONLY=f1,f2 proves those functions only.
PROVE_WP_CONFIG := baremetal-pair
PROVE_WP_ONLY   ?=

PROVE_WP_RUN = $(PYTHON) ci/prove/prove.py --inputs $(PROVE_DIR)/$(PROVE_WP_CONFIG)/inputs.txt --wp \
	$(if $(PROVE_WP_ONLY),--only $(PROVE_WP_ONLY))

prove-wp:
	@$(MAKE) --no-print-directory CONFIG=$(PROVE_WP_CONFIG) prove-inputs
	$(PROVE_WP_RUN)

# Regenerated on every run (about 0.5 s: tables.py bisects the stand-ins' size
# with the config compiler), so that a change of PROVE_STAND_INS is never
# analyzed with the tables of the one before. The images are made in the
# recipe: CELL_IMAGES is defined after this file is read.
prove-inputs: $(O)/gen/autoconf.h $(BHCONFIG)
	$(if $(PROVE_IMAGES),@$(MAKE) --no-print-directory $(PROVE_IMAGES))
	@test -f $(SYSTEM_DTS) || { echo "no system config $(SYSTEM_DTS) (CONFIG=$(CONFIG)); see configs/" >&2; exit 1; }
	@$(PYTHON) ci/prove/tables.py --bhconfig $(BHCONFIG) --system $(SYSTEM_DTS) --platform $(PLATFORM_DTS) \
		--kconfig $(O)/.config --image-dir $(BUILD)/images --stand-in "$(PROVE_STAND_INS)" --out $(PROVE_OUT)/tables
	@cp $(O)/gen/autoconf.h $(PROVE_GEN)/autoconf.h
	$(shell mkdir -p $(PROVE_OUT))$(file >$(PROVE_OUT)/inputs.txt,$(PROVE_INPUTS))

prove-one: prove-inputs
	$(PYTHON) ci/prove/prove.py --inputs $(PROVE_OUT)/inputs.txt $(PROVE_ARGS)

endif
