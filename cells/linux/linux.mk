# SPDX-License-Identifier: Apache-2.0
# cells/linux/linux.mk - the Linux cell image, built from Debian's
# linux-source-6.12 and cached under $(BUILD)/linux.
#
# Included by the top Makefile (which defines BUILD).  Provides
#   LINUX_IMAGE := $(BUILD)/images/linux.bin   arch/riscv/boot/Image with the
#                                              initramfs (static init +
#                                              BusyBox) built in
#   make linux        build it (nothing at all happens when it is up to date)
#   make linux-clean  forget the kernel tree and image (keeps the ccache)
#
# Layout under $(BUILD)/linux:
#   src/                    the extracted tarball (never written by kbuild)
#   src.stamp-<version>     records the package version that src/ holds
#   obj/                    kbuild's out-of-tree object tree (O=)
#   merged.config           tinyconfig + linux.fragment, KCONFIG_ALLCONFIG input
#   init                    the static init (cells/linux/init.c)
#   bhshm                   the channel endpoint program (cells/linux/shmem-demo.c)
#   busybox                 copy of BusyBox's binary (cells/linux/busybox.mk,
#                           built under $(BUILD)/busybox)
#   etc/                    passwd and group (from cells/linux/etc)
#   initramfs.list          gen_init_cpio list: cells/linux/initramfs.list,
#                           then /bin/busybox and one link per applet
# and the compiler cache in $(BUILD)/ccache.
#
# The image is rebuilt only when linux.fragment, init.c, shmem-demo.c or bhshm.c, initramfs.list,
# cells/linux/etc, BusyBox (busybox.fragment, its source version) or the installed
# linux-source-6.12 version (or its tarball) changes; kbuild is not even
# started otherwise.  Editing this file or check-config.sh does
# not rebuild anything by itself: `make linux-clean linux` does (fast, ccache).
#
# Every variable and rule is prefixed LINUX_/linux.

BUILD ?= build

LINUX_PKG     := linux-source-6.12
LINUX_TARBALL := /usr/src/$(LINUX_PKG).tar.xz
# Debian version of the installed source package, e.g. 6.12.117-1~deb12u1.
LINUX_VERSION := $(shell dpkg-query -W -f='$${Version}' $(LINUX_PKG) 2>/dev/null)

LINUX_DIR   := $(BUILD)/linux
LINUX_SRC   := $(LINUX_DIR)/src
LINUX_OBJ   := $(LINUX_DIR)/obj
LINUX_IMAGE := $(BUILD)/images/linux.bin

LINUX_SRC_STAMP := $(LINUX_DIR)/src.stamp-$(LINUX_VERSION)
LINUX_CONFIG    := $(LINUX_OBJ)/.config
LINUX_MERGED    := $(LINUX_DIR)/merged.config
LINUX_INIT      := $(LINUX_DIR)/init
LINUX_BHSHM     := $(LINUX_DIR)/bhshm
LINUX_BUSYBOX   := $(LINUX_DIR)/busybox
LINUX_ETC       := $(LINUX_DIR)/etc/passwd $(LINUX_DIR)/etc/group
LINUX_CPIO_LIST := $(LINUX_DIR)/initramfs.list
LINUX_FRAGMENT  := cells/linux/linux.fragment
LINUX_CHECK     := cells/linux/check-config.sh

LINUX_CROSS   := riscv64-linux-gnu-
LINUX_USER_CC := $(LINUX_CROSS)gcc
LINUX_USER_CFLAGS := -static -Os -s -Wall -Wextra -Werror

# One kbuild command line for every kbuild step (configuration included).
# CC must stay byte-for-byte the same between builds: kbuild records each
# object's command line and rebuilds every object whose command changed.
LINUX_KCC  := ccache $(LINUX_CROSS)gcc
LINUX_ENV   = CCACHE_DIR=$(abspath $(BUILD)/ccache) CCACHE_BASEDIR=$(abspath $(LINUX_DIR))
LINUX_KMAKE = $(LINUX_ENV) $(MAKE) --no-print-directory -C $(LINUX_SRC) \
	O=$(abspath $(LINUX_OBJ)) ARCH=riscv CROSS_COMPILE=$(LINUX_CROSS) \
	CC="$(LINUX_KCC)" KBUILD_BUILD_USER=bulkhead KBUILD_BUILD_HOST=bulkhead
# Parallel even under a plain `make linux`; under `make -jN` the jobserver
# of the top make is shared instead.
LINUX_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
LINUX_JOBS_ARG = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(LINUX_JOBS))

include cells/linux/busybox.mk

# Variables given on the top make's command line (CONFIG=, BUILD=, ...) are
# the project's, not kbuild's: do not pass them down.
$(LINUX_CONFIG) $(LINUX_IMAGE): MAKEOVERRIDES :=

.PHONY: linux linux-clean
linux: $(LINUX_IMAGE)

linux-clean:
	rm -rf $(LINUX_DIR) $(LINUX_IMAGE)

$(LINUX_TARBALL):
	@echo "linux: $@ is missing: install $(LINUX_PKG) (make deps)" >&2; exit 1

# Extract once per source package version.  A new version also drops the
# old object tree: the extracted files keep the tarball's dates, so kbuild
# could not tell that they changed.
$(LINUX_SRC_STAMP): $(LINUX_TARBALL)
	@test -n "$(LINUX_VERSION)" || { echo "linux: dpkg-query finds no $(LINUX_PKG) (make deps)" >&2; exit 1; }
	@echo "linux: extracting $(LINUX_TARBALL) ($(LINUX_PKG) $(LINUX_VERSION))"
	@rm -rf $(LINUX_SRC) $(LINUX_OBJ) $(LINUX_DIR)/src.stamp-*
	@mkdir -p $(LINUX_SRC)
	@tar -xJf $(LINUX_TARBALL) -C $(LINUX_SRC) --strip-components=1
	@echo "$(LINUX_PKG) $(LINUX_VERSION)" > $@

# tinyconfig, the fragment merged onto it with merge_config.sh, then
# allnoconfig with that merge as KCONFIG_ALLCONFIG: this is what
# `merge_config.sh -n` does, but run through the same kbuild command line
# (CC included) as the build.  Everything not asked for stays off.
$(LINUX_CONFIG): $(LINUX_FRAGMENT) $(LINUX_SRC_STAMP)
	@mkdir -p $(LINUX_OBJ)
	@echo "linux: configuring (tinyconfig + $(LINUX_FRAGMENT))"
	@$(LINUX_KMAKE) -s tinyconfig
	@cd $(LINUX_DIR) && KCONFIG_CONFIG=$(abspath $(LINUX_MERGED)) \
		$(abspath $(LINUX_SRC))/scripts/kconfig/merge_config.sh -m -Q \
		$(abspath $(LINUX_CONFIG)) $(abspath $(LINUX_FRAGMENT)) >/dev/null
	@$(LINUX_KMAKE) -s KCONFIG_ALLCONFIG=$(abspath $(LINUX_MERGED)) allnoconfig
	@sh $(LINUX_CHECK) $(LINUX_FRAGMENT) $@

$(LINUX_INIT): cells/linux/init.c
	@mkdir -p $(@D)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -o $@ $<

# /bin/bhshm: the shared-memory channel endpoint through UIO (docs/shmem.md).
$(LINUX_BHSHM): cells/linux/shmem-demo.c cells/common/bhshm.c cells/common/bhshm.h
	@mkdir -p $(@D)
	$(LINUX_USER_CC) $(LINUX_USER_CFLAGS) -Icells/common -o $@ cells/linux/shmem-demo.c cells/common/bhshm.c

$(LINUX_BUSYBOX): $(BUSYBOX_BIN)
	@mkdir -p $(@D)
	cp $< $@

$(LINUX_DIR)/etc/%: cells/linux/etc/%
	@mkdir -p $(@D)
	cp $< $@

# The template, then BusyBox as /bin/busybox and each applet of
# busybox.links ("/bin/ls", "/sbin/poweroff", ...) as a symbolic link to it.
# The recipe writes lines of its own (/bin/bhshm): a changed linux.mk rewrites the list.
$(LINUX_CPIO_LIST): cells/linux/initramfs.list $(BUSYBOX_LINKS) cells/linux/linux.mk
	@mkdir -p $(@D)
	@{ cat cells/linux/initramfs.list; \
	   echo "# BusyBox (cells/linux/busybox.mk)"; \
	   echo "dir /bin 0755 0 0"; \
	   echo "dir /sbin 0755 0 0"; \
	   echo "file /bin/busybox ../busybox 0755 0 0"; \
	   echo "file /bin/bhshm ../bhshm 0755 0 0"; \
	   awk '$$0 == "/bin/busybox" { next } \
		/^\/bin\/[^\/]+$$/ { print "slink " $$0 " busybox 0777 0 0"; next } \
		/^\/sbin\/[^\/]+$$/ { print "slink " $$0 " ../bin/busybox 0777 0 0"; next } \
		{ print "busybox: applet path outside /bin and /sbin: " $$0 > "/dev/stderr"; bad = 1 } \
		END { exit bad }' $(BUSYBOX_LINKS); \
	} > $@.tmp && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

# kbuild itself notices a changed init, BusyBox or list
# (usr/.initramfs_data.cpio.d).  "+": make finds $(MAKE) in a recipe only
# when written there literally, not through LINUX_KMAKE; without it kbuild
# gets no jobserver under `make -jN` and runs -j1.
$(LINUX_IMAGE): $(LINUX_CONFIG) $(LINUX_INIT) $(LINUX_BHSHM) $(LINUX_BUSYBOX) $(LINUX_ETC) $(LINUX_CPIO_LIST)
	+@start=$$(date +%s); \
	$(LINUX_KMAKE) $(LINUX_JOBS_ARG) Image || exit 1; \
	mkdir -p $(@D) && cp $(LINUX_OBJ)/arch/riscv/boot/Image $@ || exit 1; \
	echo "linux: built Image in $$(( $$(date +%s) - start )) s: $@, $$(stat -c %s $@) bytes ($(LINUX_PKG) $(LINUX_VERSION))"
