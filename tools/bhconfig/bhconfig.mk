# SPDX-License-Identifier: Apache-2.0
# The host config compiler and its unit tests; included by the top Makefile,
# which defines BUILD (default build) and HOSTCC (default gcc).
#
#   make bhconfig          $(BUILD)/host/bhconfig               plain -O2 build
#   make bhconfig-tests    $(BUILD)/host/tests/test_*           cmocka, with --coverage
#
# The unit tests link the compiler's modules (all but main.c) built a second
# time with --coverage into $(BUILD)/host/cov/, so that running them leaves
# .gcda files there for gcov/gcovr (e.g. gcovr -r . $(BUILD)/host/cov).

BHCONFIG_DIR       := tools/bhconfig
BHCONFIG           := $(BUILD)/host/bhconfig
# src/include for bulkhead/abi.h only: the interface facts shared with the
# hypervisor and the guests (access rights, fault policies, hart id limit).
BHCONFIG_CFLAGS    := -std=c11 -Wall -Wextra -Werror -O2 -Isrc/include
BHCONFIG_COVFLAGS  := -std=c11 -Wall -Wextra -Werror -O0 -g --coverage -Isrc/include
BHCONFIG_SRCS      := $(wildcard $(BHCONFIG_DIR)/*.c)
BHCONFIG_HDRS      := $(wildcard $(BHCONFIG_DIR)/*.h) src/include/bulkhead/abi.h
BHCONFIG_OBJS      := $(patsubst $(BHCONFIG_DIR)/%.c,$(BUILD)/host/obj/%.o,$(BHCONFIG_SRCS))
BHCONFIG_COV_OBJS  := $(patsubst $(BHCONFIG_DIR)/%.c,$(BUILD)/host/cov/%.o,\
                        $(filter-out $(BHCONFIG_DIR)/main.c,$(BHCONFIG_SRCS)))

BHCONFIG_TEST_SRCS := $(wildcard tests/unit/test_*.c)
BHCONFIG_TEST_HDRS := $(wildcard tests/unit/*.h)
BHCONFIG_TESTLIB   := $(patsubst tests/unit/%.c,$(BUILD)/host/cov/unit/%.o,\
                        $(filter-out $(BHCONFIG_TEST_SRCS),$(wildcard tests/unit/*.c)))
BHCONFIG_UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/host/tests/%,$(BHCONFIG_TEST_SRCS))

# Tests find dts/ and tests/configs/ from here, whatever their working directory.
BHCONFIG_TEST_DEFS := -DBH_SOURCE_ROOT='"$(abspath .)"' -I$(BHCONFIG_DIR) -Itests/unit

.PHONY: bhconfig bhconfig-tests
bhconfig: $(BHCONFIG)
bhconfig-tests: $(BHCONFIG_UNIT_TESTS)

$(BHCONFIG): $(BHCONFIG_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) -o $@ $^ -lfdt

$(BUILD)/host/obj/%.o: $(BHCONFIG_DIR)/%.c $(BHCONFIG_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(BHCONFIG_CFLAGS) -c -o $@ $<

$(BUILD)/host/cov/%.o: $(BHCONFIG_DIR)/%.c $(BHCONFIG_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(BHCONFIG_COVFLAGS) -c -o $@ $<

$(BUILD)/host/cov/unit/%.o: tests/unit/%.c $(BHCONFIG_HDRS) $(BHCONFIG_TEST_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) $(BHCONFIG_COVFLAGS) $(BHCONFIG_TEST_DEFS) -c -o $@ $<

$(BUILD)/host/tests/%: $(BUILD)/host/cov/unit/%.o $(BHCONFIG_TESTLIB) $(BHCONFIG_COV_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) --coverage -o $@ $^ -lcmocka -lfdt

# Keep the coverage objects (and the .gcno beside them) after linking.
.SECONDARY: $(BHCONFIG_COV_OBJS) $(BHCONFIG_TESTLIB) \
            $(patsubst tests/unit/%.c,$(BUILD)/host/cov/unit/%.o,$(BHCONFIG_TEST_SRCS))
