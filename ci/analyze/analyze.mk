# SPDX-License-Identifier: Apache-2.0
# `make analyze`: certification-style static analysis of one hypervisor build
# and, separately, of the host config compiler (docs/safety/).
#
# Included by the top Makefile (after bhconfig.mk and unit-hyp.mk, whose
# test binaries it names). ci/analyze/analyze.py writes
# $(BUILD)/analysis/report.md and fails on any finding that is neither fixed
# nor recorded as a deviation (docs/safety/deviations.md +
# ci/analyze/suppressions.txt); ci/analyze/trace.py writes the requirements
# trace matrix and fails on a requirement without a test
# (docs/safety/requirements.md).
#
#   make analyze                     analyzes CONFIG=baremetal-pair
#   make analyze CONFIG=<name>       analyzes that system's build instead
#   make analyze ANALYZE_ARGS=...    extra analyze.py options (e.g. --only stack)

ifndef BH_ANALYZE_MK_INCLUDED
BH_ANALYZE_MK_INCLUDED := 1

# The system analyzed: baremetal-pair unless CONFIG was given on the command line.
ANALYZE_CONFIG ?= $(if $(filter command line,$(origin CONFIG)),$(CONFIG),baremetal-pair)
ANALYSIS_DIR   := $(BUILD)/analysis
# Cyclomatic complexity limit per function (pmccabe, traditional McCabe);
# the cognitive complexity limit lives in ci/analyze/clang-tidy.yaml.
ANALYZE_CCN_LIMIT ?= 15
ANALYZE_JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
ANALYZE_ARGS   ?=
# Documents generated into $(ANALYSIS_DIR) and committed under docs/safety/.
ANALYZE_DOCS   := stack-and-coverage.md trace-matrix.md

# What analyze.py needs to know about the build, written verbatim (no shell quoting).
# The generated gen/*.c are found by analyze.py itself: a $(wildcard) here would
# see the directory as it was before the build made them.
define ANALYZE_INPUTS
config=$(CONFIG)
build=$(BUILD)
obj=$(O)
cross=$(CROSS)
hostcc=$(HOSTCC)
hyp_srcs=$(HYP_SRCS)
hyp_gen_dir=$(O)/gen
hyp_cflags=$(HYP_CFLAGS)
hyp_elf=$(O)/bulkhead.elf
host_srcs=$(BHCONFIG_SRCS)
host_cflags=$(BHCONFIG_CFLAGS) -I$(BHCONFIG_DIR)
host_tests=$(BHCONFIG_UNIT_TESTS) $(HYP_UNIT_TESTS)
ccn_limit=$(ANALYZE_CCN_LIMIT)
jobs=$(ANALYZE_JOBS)
endef

.PHONY: analyze analyze-only format

# Lays out every C file as `make analyze` checks it (.clang-format; the
# guests under cells/ have their own). Inputs of other tools' tests stay as written.
format:
	git ls-files '*.c' '*.h' | grep -v -e '^tests/analyze/' -e '^tests/configs/' | xargs clang-format --style=file -i

# Like run and test: install missing Debian packages first, then analyze the
# chosen system in a sub-make that has CONFIG (and so O, HYP_SRCS) set.
# A full run (no ANALYZE_ARGS) then refreshes the committed generated documents;
# `make test` fails while they differ from a fresh run (static_analysis suite).
# A full run ends with the proof gate (`make prove` without its deps step, done
# above: EVA per system of PROVE_CONFIGS, then WP; ci/prove/prove.mk), so
# analyze fails when a proof does; ANALYZE_ARGS (one tool's check) skips it.
analyze: deps
	@$(MAKE) --no-print-directory -f Makefile -f ci/analyze/analyze.mk \
		CONFIG=$(ANALYZE_CONFIG) analyze-only
	$(if $(strip $(ANALYZE_ARGS)),,cp $(addprefix $(ANALYSIS_DIR)/,$(ANALYZE_DOCS)) docs/safety/)
	$(if $(strip $(ANALYZE_ARGS)),,@$(MAKE) --no-print-directory prove-only)

# The build (its .su files and ELF are inputs) and the unit-test binaries
# (for the coverage figures) come first.
analyze-only: $(O)/bulkhead.elf $(BHCONFIG_UNIT_TESTS) $(HYP_UNIT_TESTS)
	$(shell mkdir -p $(ANALYSIS_DIR))$(file >$(ANALYSIS_DIR)/inputs.txt,$(ANALYZE_INPUTS))
	$(PYTHON) ci/analyze/analyze.py --inputs $(ANALYSIS_DIR)/inputs.txt --out $(ANALYSIS_DIR) $(ANALYZE_ARGS); \
	rc=$$?; $(PYTHON) ci/analyze/trace.py --build $(BUILD) --out $(ANALYSIS_DIR)/trace-matrix.md || rc=1; exit $$rc

endif
