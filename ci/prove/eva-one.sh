#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Not yet the gate: runs Frama-C EVA over one system (its gen/ tables must exist:
# make CONFIG=<name> build/<name>/gen/cells.c). Usage: ci/prove/eva-one.sh <config> [frama-c options]
set -euo pipefail
C=${1:-baremetal-pair}; shift
O=build/$C
STATS=$(grep -q CONFIG_STATS=y $O/.config && echo "src/core/stats.c src/core/stats_report.c" || echo "src/core/stats_off.c src/core/stats_report_off.c")
SRCS="$(ls src/core/*.c | grep -v stats | tr '\n' ' ') $STATS src/drivers/*.c $(ls src/arch/riscv/*.c | grep -v sbi_ecall) $O/gen/cells.c $O/gen/gstage.c ci/prove/model/hardware.c ci/prove/model/sbi_ecall.c ci/prove/harness.c"
frama-c -c11 -machdep gcc_x86_64 -cpp-extra-args="-include ci/prove/model/atomics.h -Ici/prove/model/include -Ici/prove -Isrc/include -Isrc/arch/riscv/include -I$O/gen -DBH_SYSTEM_NAME=\\\"$C\\\"" $SRCS "$@"
