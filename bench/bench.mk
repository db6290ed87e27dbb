# SPDX-License-Identifier: Apache-2.0
# bench/bench.mk - `make bench`: measured exits, exit path lengths, timer
# interrupt latency, boot cost and footprint, each against running natively.
#
# Included by the top Makefile (after cells/cells.mk and cells/linux/linux.mk,
# which provide the bench guest and the Linux image).  Results in
# $(BUILD)/bench/: results.json, report.md, exits.png, path.png.
#
#   make bench        install missing packages (ci/install-deps.sh), then bench-only
#   make bench-only   build what is needed, run tools/bench/bench.py
#
# Never part of `make test`, and never fails on a number: a figure that
# cannot be taken is named in the report instead.  The systems the figures
# need are built first and must build: bench-guest (cells/bench alone),
# bench-linux (Linux alone; builds the Linux image if it is not cached under
# $(BUILD)/linux) and linux-baremetal.  Every other configs/*.dts is built
# for the footprint table and, for irq-direct / irq-trap, the device-interrupt
# figure; one that does not build is left out and named.  linux-rtthread is
# only built when RTTHREAD_IMAGE is given; linux-rtthread-aia (the AIA figures)
# always, with the rtos-contract guest standing in for RT-Thread.
#
# Every variable and rule is prefixed BENCH_/bench.

BENCH_OUT      := $(BUILD)/bench
BENCH_SYSTEMS  := bench-guest bench-linux linux-baremetal
BENCH_OPTIONAL := $(filter-out $(BENCH_SYSTEMS) $(if $(RTTHREAD_IMAGE),,linux-rtthread) linux-rtthread-aia, \
                  $(patsubst configs/%.dts,%,$(wildcard configs/*.dts)))
BENCH_ARGS     ?=

.PHONY: bench bench-only
bench: deps
	@$(MAKE) --no-print-directory bench-only

bench-only: $(BHCONFIG)
	@mkdir -p $(BENCH_OUT)
	@: > $(BENCH_OUT)/built.txt
	@for s in $(BENCH_SYSTEMS); do \
		echo "bench: building $$s"; \
		$(MAKE) --no-print-directory CONFIG=$$s all || exit 1; \
		echo $$s >> $(BENCH_OUT)/built.txt; \
	done
	@for s in $(BENCH_OPTIONAL); do \
		if $(MAKE) --no-print-directory CONFIG=$$s all > $(BENCH_OUT)/build-$$s.log 2>&1; then \
			echo $$s >> $(BENCH_OUT)/built.txt; \
		else \
			echo "bench: $$s did not build (see $(BENCH_OUT)/build-$$s.log): no figures from it"; \
		fi; \
	done
	@# The AIA figures: RT-Thread's cell run by the rtos-contract stand-in, as in make test.
	@if $(MAKE) --no-print-directory CONFIG=linux-rtthread-aia RTTHREAD_SRC= \
		RTTHREAD_IMAGE=$(BUILD)/images/rtos-contract.bin all > $(BENCH_OUT)/build-linux-rtthread-aia.log 2>&1; then \
		echo linux-rtthread-aia >> $(BENCH_OUT)/built.txt; \
	else \
		echo "bench: linux-rtthread-aia did not build (see $(BENCH_OUT)/build-linux-rtthread-aia.log): no AIA figures"; \
	fi
	$(PYTHON) tools/bench/bench.py --build $(BUILD) --out $(BENCH_OUT) \
		--built $(BENCH_OUT)/built.txt $(BENCH_ARGS)
