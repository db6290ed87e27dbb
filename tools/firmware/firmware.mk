# SPDX-License-Identifier: Apache-2.0
# tools/firmware/firmware.mk - the firmware of the big platforms: Debian's
# OpenSBI fw_dynamic.bin with a heap that fits 128 harts (opensbi_heap.py
# says why and what changes; docs/limits.md, "Booting 64 cells").
#
# Included by the Makefile.  A platform asks for it in its .qemu file with
#   -bios {build}/fw_dynamic-big-heap.bin
# ({build}: the system's build directory, filled in by tools/run.py); every
# other platform runs Debian's binary as it is.  Made offline from the
# installed package, once under $(BUILD)/firmware (again only when Debian's
# binary or the script changes), and copied into each such system's $(O).

FIRMWARE_DEBIAN   := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
FIRMWARE_BIG_NAME := fw_dynamic-big-heap.bin
FIRMWARE_BIG      := $(BUILD)/firmware/$(FIRMWARE_BIG_NAME)

$(FIRMWARE_DEBIAN):
	@echo "firmware: $@ is missing: run 'make deps' (Debian package opensbi from bookworm-backports)" >&2; exit 1

$(FIRMWARE_BIG): $(FIRMWARE_DEBIAN) tools/firmware/opensbi_heap.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/firmware/opensbi_heap.py $< $@

$(O)/$(FIRMWARE_BIG_NAME): $(FIRMWARE_BIG)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

ifneq ($(shell grep -s -l '^-bios {build}/$(FIRMWARE_BIG_NAME)' $(PLATFORM_QEMU)),)
all: $(O)/$(FIRMWARE_BIG_NAME)
endif
