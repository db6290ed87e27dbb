# SPDX-License-Identifier: Apache-2.0
# Host unit tests of the hypervisor's pure logic, built with the host compiler
# and gcov instrumentation; the test driver runs every $(BUILD)/host/tests/test_*.
HYP_UNIT_CFLAGS := -std=c11 -Wall -Wextra -Werror -O0 -g --coverage \
	-DVPLIC_MAX_SOURCES=96U -DVPLIC_MAX_HARTS=4U -Isrc/include -Isrc/arch/riscv/include

HYP_UNIT_TESTS := $(BUILD)/host/tests/test_hyp_vplic $(BUILD)/host/tests/test_hyp_insn_decode \
	$(BUILD)/host/tests/test_hyp_console_filter $(BUILD)/host/tests/test_hyp_console_command \
	$(BUILD)/host/tests/test_hyp_stats $(BUILD)/host/tests/test_hyp_vuart $(BUILD)/host/tests/test_hyp_hart_set \
	$(BUILD)/host/tests/test_hyp_vaplic $(BUILD)/host/tests/test_hyp_hart_arrival \
	$(BUILD)/host/tests/test_hyp_dma_fault $(BUILD)/host/tests/test_hyp_console_out

$(BUILD)/host/tests/test_hyp_vplic: tests/unit-hyp/test_vplic.c src/core/vplic.c src/include/bulkhead/vplic.h
# The emulated APLIC domain against the test's recording stand-in for aplic.c.
$(BUILD)/host/tests/test_hyp_vaplic: HYP_UNIT_CFLAGS += -DVAPLIC_MAX_SOURCES=8U -DVAPLIC_MAX_HARTS=4U -DVAPLIC_MAX_VSOURCES=4U
$(BUILD)/host/tests/test_hyp_vaplic: tests/unit-hyp/test_vaplic.c src/core/vaplic.c src/core/vaplic_vsource.c \
	src/include/bulkhead/vaplic.h \
	src/include/bulkhead/aplic.h
$(BUILD)/host/tests/test_hyp_insn_decode: tests/unit-hyp/test_insn_decode.c src/arch/riscv/insn_decode.c \
	src/arch/riscv/include/arch/insn_decode.h

$(BUILD)/host/tests/test_hyp_console_filter: tests/unit-hyp/test_console_filter.c src/core/console_filter.c \
	src/include/bulkhead/console_filter.h

$(BUILD)/host/tests/test_hyp_console_command: tests/unit-hyp/test_console_command.c \
	src/core/console_command.c src/include/bulkhead/console_command.h

$(BUILD)/host/tests/test_hyp_hart_set: tests/unit-hyp/test_hart_set.c src/core/hart_set.c \
	src/include/bulkhead/hart_set.h

# The boot-time arrival decision against the test's clock (config.h: the statistics test's).
$(BUILD)/host/tests/test_hyp_hart_arrival: HYP_UNIT_CFLAGS += -Itests/unit-hyp/stats
$(BUILD)/host/tests/test_hyp_hart_arrival: tests/unit-hyp/test_hart_arrival.c src/core/hart_arrival.c \
	src/include/bulkhead/hart.h

# DMA fault reports against the test's fault queue and a two-cell config.h of its own.
$(BUILD)/host/tests/test_hyp_dma_fault: HYP_UNIT_CFLAGS += -Itests/unit-hyp/dma_fault
$(BUILD)/host/tests/test_hyp_dma_fault: tests/unit-hyp/test_dma_fault.c src/core/dma_fault.c \
	src/include/bulkhead/dma_fault.h src/include/bulkhead/iommu.h src/include/bulkhead/lib.h \
	tests/unit-hyp/dma_fault/config.h

# The console output sink with a thread per hart, against the test's UART and
# clock (its arch/cpu.h and bulkhead/ns16550.h come before src/'s), and src/'s lock with a
# seam that times a hart's spin (its bulkhead/lib.h).
$(BUILD)/host/tests/test_hyp_console_out: HYP_UNIT_CFLAGS := -Itests/unit-hyp/console_out $(HYP_UNIT_CFLAGS) -pthread
$(BUILD)/host/tests/test_hyp_console_out: tests/unit-hyp/test_console_out.c src/core/console_out.c \
	src/core/console_filter.c src/core/format.c src/include/bulkhead/console_out.h src/include/bulkhead/lib.h \
	tests/unit-hyp/console_out/config.h tests/unit-hyp/console_out/autoconf.h \
	tests/unit-hyp/console_out/arch/cpu.h tests/unit-hyp/console_out/bulkhead/ns16550.h \
	tests/unit-hyp/console_out/bulkhead/lib.h

# stats.c and stats_report.c with format.c, a one-cell config.h of its own, and docs/stats.md
# (the published counter indices) read from the source tree.
$(BUILD)/host/tests/test_hyp_stats: HYP_UNIT_CFLAGS += -Itests/unit-hyp/stats -DBH_SOURCE_ROOT='"$(CURDIR)"'
$(BUILD)/host/tests/test_hyp_stats: tests/unit-hyp/test_stats.c src/core/stats.c src/core/stats_report.c src/core/format.c \
	src/include/bulkhead/abi.h src/include/bulkhead/stats.h src/include/bulkhead/stat_counts.h src/include/bulkhead/stats_report.h src/include/bulkhead/hart.h \
	tests/unit-hyp/stats/config.h docs/stats.md

# The vUART with its receive queue, as the hypervisor hands it in.
$(BUILD)/host/tests/test_hyp_vuart: tests/unit-hyp/test_vuart.c src/core/vuart.c src/core/rxq.c \
	src/include/bulkhead/vuart.h src/include/bulkhead/rxq.h src/include/bulkhead/lib.h

$(HYP_UNIT_TESTS):
	@mkdir -p $(dir $@) $(BUILD)/host/cov/hyp
	cd $(BUILD)/host/cov/hyp && $(HOSTCC) $(HYP_UNIT_CFLAGS:-I%=-I$(CURDIR)/%) \
		$(addprefix $(CURDIR)/,$(filter %.c,$^)) -lcmocka -o $(abspath $@)

.PHONY: hyp-unit-tests
hyp-unit-tests: $(HYP_UNIT_TESTS)
