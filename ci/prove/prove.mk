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

# One system per interrupt controller and per kind of guest mix (small guests,
# Linux beside an RTOS); each adds about half a minute on one core.
PROVE_CONFIGS ?= baremetal-pair linux-rtthread baremetal-pair-aia
PROVE_DIR     := $(BUILD)/prove
PROVE_RECORDS ?= docs/safety/proof-alarms.md
PROVE_ARGS    ?=

# The hypervisor's C files as the build compiles them, but the firmware call's
# inline assembly (sbi_ecall.c) replaced by its model; the model's headers come
# first on the include path (arch/csr_ops.h, arch/this_hart.h).
PROVE_HYP_SRCS = $(filter-out src/arch/riscv/sbi_ecall.c,$(filter %.c,$(HYP_SRCS)))
PROVE_MODEL_SRCS := ci/prove/model/hardware.c ci/prove/model/sbi_ecall.c ci/prove/harness.c

define PROVE_INPUTS
config=$(CONFIG)
srcs=$(PROVE_HYP_SRCS) $(O)/gen/cells.c $(O)/gen/gstage.c $(PROVE_MODEL_SRCS)
cpp=-include ci/prove/model/atomics.h -Ici/prove/model/include -Ici/prove -Isrc/include -Isrc/arch/riscv/include -I$(O)/gen -DBH_SYSTEM_NAME=\"$(CONFIG)\"
config_h=$(O)/gen/config.h
cells_c=$(O)/gen/cells.c
records=$(PROVE_RECORDS)
out=$(PROVE_DIR)/$(CONFIG)
endef

.PHONY: prove prove-only prove-one prove-wp

prove: deps
	@$(MAKE) --no-print-directory prove-only

# Each system in a sub-make of its own (CONFIG, and so HYP_SRCS, differ); all
# are run before the verdict so that one report lists every system's result.
# A system with an RT-Thread cell gets the small contract guest as its image
# unless RTTHREAD_IMAGE names one: the proof depends on the image's size only
# (the tables), as the Linux suite's build does (tests/suites/system_linux.py).
PROVE_RTTHREAD_IMAGE := $(or $(RTTHREAD_IMAGE),$(BUILD)/images/rtos-contract.bin)

prove-only:
	@$(MAKE) --no-print-directory $(BUILD)/images/rtos-contract.bin
	@rc=0; for c in $(PROVE_CONFIGS); do \
		$(MAKE) --no-print-directory CONFIG=$$c RTTHREAD_IMAGE=$(PROVE_RTTHREAD_IMAGE) prove-one || rc=1; \
	done; \
	$(MAKE) --no-print-directory CONFIG=$(PROVE_WP_CONFIG) prove-wp || rc=1; exit $$rc

# WP proves the contracts of the functions prove.py names (WP_TARGETS); they
# depend on no table, so one system's headers serve.
PROVE_WP_CONFIG := baremetal-pair

prove-wp: $(O)/gen/cells.c $(O)/gen/autoconf.h
	$(shell mkdir -p $(PROVE_DIR)/$(CONFIG))$(file >$(PROVE_DIR)/$(CONFIG)/inputs.txt,$(PROVE_INPUTS))
	$(PYTHON) ci/prove/prove.py --inputs $(PROVE_DIR)/$(CONFIG)/inputs.txt --wp

prove-one: $(O)/gen/cells.c $(O)/gen/autoconf.h
	$(shell mkdir -p $(PROVE_DIR)/$(CONFIG))$(file >$(PROVE_DIR)/$(CONFIG)/inputs.txt,$(PROVE_INPUTS))
	$(PYTHON) ci/prove/prove.py --inputs $(PROVE_DIR)/$(CONFIG)/inputs.txt $(PROVE_ARGS)

endif
