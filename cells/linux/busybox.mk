# SPDX-License-Identifier: Apache-2.0
# cells/linux/busybox.mk - the Linux cell's userland: BusyBox, built from
# Debian's own `busybox` source package and cached under $(BUILD)/busybox.
#
# Included by cells/linux/linux.mk.  Provides
#   BUSYBOX_BIN   := $(BUILD)/busybox/obj/busybox     static riscv64 binary
#   BUSYBOX_LINKS := $(BUILD)/busybox/obj/busybox.links  its applets (/bin/ls ...)
#   make busybox        build it (nothing happens when it is up to date)
#   make busybox-clean  forget the source and objects (keeps the ccache)
#
# Layout under $(BUILD)/busybox:
#   version                 the source version apt offers (rewritten only on change)
#   src/                    `apt-get source busybox=<version>`: upstream tree
#                           with Debian's patches applied (never written by
#                           the build: objects go to obj/)
#   src.stamp               records the version that src/ holds
#   obj/                    BusyBox's out-of-tree build (O=), .config included;
#                           config.stamp: .config was made from the current
#                           fragment and source
#
# The source comes from the deb-src entry ci/install-deps.sh adds for the
# bookworm suite of the archive already in apt's sources.  It is fetched
# once per version: a later `make` reads apt's local index only (no network),
# and with no deb-src at all a fetched tree keeps being used.  BusyBox is
# rebuilt only when busybox.fragment or the source version changes.
#
# Every variable and rule is prefixed BUSYBOX_/busybox.

BUILD ?= build

BUSYBOX_PKG      := busybox
BUSYBOX_DIR      := $(BUILD)/busybox
BUSYBOX_SRC      := $(BUSYBOX_DIR)/src
BUSYBOX_OBJ      := $(BUSYBOX_DIR)/obj
BUSYBOX_VERFILE  := $(BUSYBOX_DIR)/version
BUSYBOX_CONFIG   := $(BUSYBOX_OBJ)/.config
BUSYBOX_CONFIG_STAMP := $(BUSYBOX_OBJ)/config.stamp
BUSYBOX_BIN      := $(BUSYBOX_OBJ)/busybox
BUSYBOX_LINKS    := $(BUSYBOX_OBJ)/busybox.links
BUSYBOX_FRAGMENT := cells/linux/busybox.fragment
BUSYBOX_SRC_STAMP := $(BUSYBOX_DIR)/src.stamp

# The same cross compiler as the init; ccache shared with the kernel.
BUSYBOX_CROSS := riscv64-linux-gnu-
BUSYBOX_MAKE   = CCACHE_DIR=$(abspath $(BUILD)/ccache) CCACHE_BASEDIR=$(abspath $(BUSYBOX_DIR)) \
	$(MAKE) --no-print-directory -s -C $(BUSYBOX_SRC) O=$(abspath $(BUSYBOX_OBJ)) \
	ARCH=riscv CROSS_COMPILE=$(BUSYBOX_CROSS) CC="ccache $(BUSYBOX_CROSS)gcc" \
	KCONFIG_NOTIMESTAMP=1
BUSYBOX_JOBS_ARG = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(LINUX_JOBS))

$(BUSYBOX_CONFIG_STAMP) $(BUSYBOX_BIN): MAKEOVERRIDES :=

.PHONY: busybox busybox-clean busybox-ask-apt
busybox: $(BUSYBOX_BIN)

busybox-clean:
	rm -rf $(BUSYBOX_DIR)

# Asked every time BusyBox is considered (apt's local index, ~0.1 s), but
# the file is written only when apt offers another version: make compares
# its date after this recipe, so only a new version fetches and builds again.
busybox-ask-apt:
$(BUSYBOX_VERFILE): busybox-ask-apt
	@mkdir -p $(BUSYBOX_DIR)
	@v=$$(apt-cache showsrc --only-source $(BUSYBOX_PKG) 2>/dev/null | \
		sed -n 's/^Version: //p' | sort -V | tail -n1); \
	if [ -z "$$v" ]; then \
		if [ -s $(BUSYBOX_VERFILE) ]; then exit 0; fi; \
		echo "busybox: apt knows no source package '$(BUSYBOX_PKG)': run 'make deps' (ci/install-deps.sh adds the deb-src entry)" >&2; \
		exit 1; \
	fi; \
	[ "$$v" = "$$(cat $(BUSYBOX_VERFILE) 2>/dev/null)" ] || echo "$$v" > $(BUSYBOX_VERFILE)

# Fetch and unpack once per version (dpkg-source applies Debian's patches).
# A new version drops the old objects: the unpacked files keep their dates.
$(BUSYBOX_SRC_STAMP): $(BUSYBOX_VERFILE)
	@v=$$(cat $(BUSYBOX_VERFILE)); \
	echo "busybox: apt-get source $(BUSYBOX_PKG)=$$v"; \
	rm -rf $(BUSYBOX_SRC) $(BUSYBOX_OBJ) $(BUSYBOX_DIR)/fetch $@; \
	mkdir -p $(BUSYBOX_DIR)/fetch && \
	(cd $(BUSYBOX_DIR)/fetch && \
	 apt-get source -qq $(if $(filter 0,$(shell id -u)),-o APT::Sandbox::User=root) \
		$(BUSYBOX_PKG)=$$v >log 2>&1) || \
		{ cat $(BUSYBOX_DIR)/fetch/log >&2; echo "busybox: apt-get source $(BUSYBOX_PKG)=$$v failed" >&2; exit 1; }; \
	d=$$(find $(BUSYBOX_DIR)/fetch -mindepth 1 -maxdepth 1 -type d -name '$(BUSYBOX_PKG)-*'); \
	[ -n "$$d" ] && [ -f "$$d/Makefile" ] || { echo "busybox: no source tree in $(BUSYBOX_DIR)/fetch" >&2; exit 1; }; \
	mv "$$d" $(BUSYBOX_SRC) && rm -rf $(BUSYBOX_DIR)/fetch && \
	echo "$(BUSYBOX_PKG) $$v" > $@

# allnoconfig writes every symbol, "# CONFIG_X is not set" included; the
# fragment's lines replace theirs; oldconfig then resolves dependencies with
# no input, so it fails (instead of guessing) should any question be left.
# (BusyBox's kconfig ignores KCONFIG_ALLCONFIG under allnoconfig.)
# A result equal to the previous .config gets the previous file back, date
# included, so a fragment touched without a change rebuilds nothing; the
# stamp records that the configuration was made from the current inputs.
$(BUSYBOX_CONFIG_STAMP): $(BUSYBOX_FRAGMENT) $(BUSYBOX_SRC_STAMP) $(LINUX_CHECK)
	@mkdir -p $(BUSYBOX_OBJ)
	@echo "busybox: configuring (allnoconfig + $(BUSYBOX_FRAGMENT))"
	@c=$(BUSYBOX_CONFIG); if [ -f $$c ]; then cp -p $$c $$c.prev; else rm -f $$c.prev; fi
	+@$(BUSYBOX_MAKE) allnoconfig >/dev/null
	@c=$(BUSYBOX_CONFIG); \
	awk 'NR == FNR { if (match($$0, /^(# )?CONFIG_[A-Za-z0-9_]+/)) { n = substr($$0, RSTART, RLENGTH); sub(/^# /, "", n); set[n] = 1 } next } \
		{ n = $$0; sub(/^# /, "", n); sub(/[= ].*/, "", n); if (!(n in set)) print }' $(BUSYBOX_FRAGMENT) $$c > $$c.base && \
	grep -E '^(CONFIG_|# CONFIG_.* is not set$$)' $(BUSYBOX_FRAGMENT) | cat $$c.base - > $$c && \
	rm -f $$c.base
	+@$(BUSYBOX_MAKE) oldconfig </dev/null >$(BUSYBOX_OBJ)/oldconfig.log 2>&1 || \
		{ tail -n 5 $(BUSYBOX_OBJ)/oldconfig.log >&2; echo "busybox: $(BUSYBOX_FRAGMENT) leaves a configuration question open (above)" >&2; rm -f $(BUSYBOX_CONFIG); exit 1; }
	@sh $(LINUX_CHECK) $(BUSYBOX_FRAGMENT) $(BUSYBOX_CONFIG) busybox || { rm -f $(BUSYBOX_CONFIG); exit 1; }
	@c=$(BUSYBOX_CONFIG); \
	if [ -f $$c.prev ] && cmp -s $$c.prev $$c; then mv -f $$c.prev $$c; echo "busybox: configuration unchanged"; else rm -f $$c.prev; fi
	@touch $@

$(BUSYBOX_CONFIG): $(BUSYBOX_CONFIG_STAMP)
	@test -f $@ || { rm -f $(BUSYBOX_CONFIG_STAMP); echo "busybox: $@ is missing: run make again" >&2; exit 1; }

# Its output (compiler warnings of upstream code, the link report) goes to
# obj/build.log.  "+": the recipe names $(MAKE) only through BUSYBOX_MAKE,
# which make does not see: without it the sub-make gets no jobserver and
# runs -j1 under `make -jN`.
$(BUSYBOX_BIN): $(BUSYBOX_CONFIG)
	+@start=$$(date +%s); \
	$(BUSYBOX_MAKE) $(BUSYBOX_JOBS_ARG) busybox busybox.links >$(BUSYBOX_OBJ)/build.log 2>&1 || \
		{ cat $(BUSYBOX_OBJ)/build.log >&2; echo "busybox: build failed (log: $(BUSYBOX_OBJ)/build.log)" >&2; exit 1; }; \
	echo "busybox: built in $$(( $$(date +%s) - start )) s: $@, $$(stat -c %s $@) bytes, $$(wc -l < $(BUSYBOX_LINKS)) applets ($$(cat $(BUSYBOX_VERFILE)))"

$(BUSYBOX_LINKS): $(BUSYBOX_BIN) ;
