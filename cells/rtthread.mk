# SPDX-License-Identifier: Apache-2.0
# The RT-Thread cell's image, $(BUILD)/images/rtthread.bin, from either
#   RTTHREAD_SRC=<RT-Thread 5.0.x checkout>   built here: cells/rtthread/build.py
#       copies bsp/qemu-virt64-riscv to $(BUILD)/rtthread/bsp and runs RT-Thread's
#       own scons there (S-mode, Debian's toolchain with picolibc); the checkout is
#       only read, the build is cached under $(BUILD)/rtthread and redone only
#       when the checkout or cells/rtthread/ change;
#   RTTHREAD_IMAGE=<rtthread.elf or .bin>     a prebuilt image.
# Either way cells/rtthread/image.py checks the image against the load and entry
# addresses the system config gives the cell (docs/cells/rtthread.md).

RTTHREAD_SRC   ?=
RTTHREAD_IMAGE ?=
RTTHREAD_DIR   := $(BUILD)/rtthread
RTTHREAD_JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

$(BUILD)/images/rtthread.bin: cells/rtthread/image.py FORCE
	@mkdir -p $(dir $@)
ifneq ($(strip $(RTTHREAD_SRC)),)
ifneq ($(strip $(RTTHREAD_IMAGE)),)
	@echo "rtthread: both RTTHREAD_SRC=$(RTTHREAD_SRC) and RTTHREAD_IMAGE=$(RTTHREAD_IMAGE) given; give one (docs/cells/rtthread.md)" >&2; exit 1
endif
	@$(PYTHON) cells/rtthread/build.py --src "$(RTTHREAD_SRC)" --out $(RTTHREAD_DIR) --jobs $(RTTHREAD_JOBS)
	@$(PYTHON) cells/rtthread/image.py --system $(SYSTEM_DTS) --built-from "$(RTTHREAD_SRC)" \
		$(RTTHREAD_DIR)/rtthread.elf $@
else
	@$(PYTHON) cells/rtthread/image.py --system $(SYSTEM_DTS) "$(RTTHREAD_IMAGE)" $@
endif

.PHONY: FORCE
FORCE:
