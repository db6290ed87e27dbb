#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-config.sh FRAGMENT CONFIG [NAME]
# Fails, listing every difference, unless CONFIG (a Kconfig .config: the
# kernel's, or BusyBox's with NAME=busybox; NAME prefixes the messages,
# default linux) has each
# setting of FRAGMENT: "CONFIG_X=v" lines must appear exactly, and options
# given as "# CONFIG_X is not set" must be neither y nor m nor any value.
set -eu
frag=$1
config=$2
name=${3:-linux}
missing=$(awk '
	NR == FNR {
		if (/^CONFIG_[A-Za-z0-9_]+=/) { want[++n] = $0 }
		else if (/^# CONFIG_[A-Za-z0-9_]+ is not set$/) { want[++n] = "!" $2 }
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { name = $0; sub(/=.*/, "", name); have[name] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			w = want[i]
			if (substr(w, 1, 1) == "!") {
				name = substr(w, 2)
				if (name in have)
					printf "  %s should be unset, .config has %s\n", name, have[name]
			} else {
				name = w; sub(/=.*/, "", name)
				if (!(name in have))
					printf "  %s missing (wanted %s)\n", name, w
				else if (have[name] != w)
					printf "  %s: wanted %s, .config has %s\n", name, w, have[name]
			}
		}
	}' "$frag" "$config")
if [ -n "$missing" ]; then
	echo "$name: $config lacks options required by $frag:" >&2
	echo "$missing" >&2
	exit 1
fi
echo "$name: $config has all $(grep -c '^CONFIG_\|^# CONFIG_.* is not set$' "$frag") options of $frag"
