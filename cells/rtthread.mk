# The RT-Thread cell's image is not built here: the user passes
# RTTHREAD_IMAGE=<rtthread.bin or rtthread.elf> from RT-Thread's
# bsp/qemu-virt64-riscv (S-mode build). cells/rtthread-image.sh checks it
# against the contract in docs/cells/rtthread.md before it is used.

$(BUILD)/images/rtthread.bin: cells/rtthread-image.sh FORCE
	@mkdir -p $(dir $@)
	@bash cells/rtthread-image.sh "$(RTTHREAD_IMAGE)" $@

.PHONY: FORCE
FORCE:
