# SPDX-License-Identifier: Apache-2.0
"""clang-tidy (ci/analyze/clang-tidy.yaml) over the hypervisor and the host tools."""

import os
import re
import shlex

from .findings import Finding
from .paths import ROOT, TIDY_CONFIG, rel
from .shell import pmap, run
from .sources import flag_value, split_flags


TIDY_LINE = re.compile(r"^(.+?):(\d+):(\d+): (warning|error): (.*?) \[([\w.,\-]+)\]$")


def clang_flags(ctx, scope):
    if scope == "host":
        incs, defs = split_flags(ctx.host_cflags)
        return ["-std=c11", "-Wvla"] + incs + defs
    incs, defs = split_flags(ctx.hyp_cflags)
    march = flag_value(ctx.hyp_cflags, "-march=", "rv64imac")
    # clang 14 has Zicsr/Zifencei implied and rejects them by name.
    march = re.sub(r"_(zicsr|zifencei)", "", march)
    return (["--target=riscv64-unknown-elf", "-march=" + march,
             "-mabi=" + flag_value(ctx.hyp_cflags, "-mabi=", "lp64"),
             "-mcmodel=medany", "-std=" + flag_value(ctx.hyp_cflags, "-std=", "c11"),
             "-ffreestanding", "-fno-builtin", "-nostdinc", "-isystem",
             clang_resource_include(), "-Wvla"] + incs + defs)


_clang_inc = []


def clang_resource_include():
    if not _clang_inc:
        rc, out, _ = run(["clang", "-print-resource-dir"])
        _clang_inc.append(os.path.join(out.strip(), "include") if rc == 0 else "/usr/lib/clang/14/include")
    return _clang_inc[0]


def step_tidy(ctx, scope):
    files = ctx.hyp_srcs if scope == "hyp" else ctx.host_srcs
    flags = clang_flags(ctx, scope)
    header_filter = "^" + re.escape(ROOT) + "/(src|tools|build)/"

    def one(path):
        cmd = ["clang-tidy", "--quiet", "--config-file=" + os.path.join(ROOT, TIDY_CONFIG),
               "--header-filter=" + header_filter, path, "--"] + flags
        rc, out, err = run(cmd, timeout=600)
        return path, rc, out, err

    results = pmap(ctx, one, files)
    seen = set()
    with open(os.path.join(ctx.out, "clang-tidy-%s.log" % scope), "w") as fh:
        fh.write("clang-tidy ... -- " + " ".join(shlex.quote(f) for f in flags) + "\n")
        for path, rc, out, err in results:
            fh.write("\n== %s (rc %d)\n%s%s" % (path, rc, out, err))
            if rc != 0 and not any(TIDY_LINE.match(x) for x in (out + "\n" + err).splitlines()):
                ctx.add(Finding("tidy", scope, "clang-tidy:failed", path, 0, "clang-tidy exited %d: %s" % (
                    rc, ((err or out).strip().splitlines() or ["?"])[-1])))
            for line in (out + "\n" + err).splitlines():
                m = TIDY_LINE.match(line)
                if not m:
                    if line.startswith("error:") and "clang-diagnostic-error" in line:
                        ctx.add(Finding("tidy", scope, "clang-tidy:clang-diagnostic-error", path, 0, line))
                    continue
                fpath, ln, col, sev, msg, checks = m.groups()
                names = checks.split(",")
                key = (rel(fpath), ln, col, names[0])
                if key in seen:
                    continue
                seen.add(key)
                check = "tidy"
                if names[0] == "readability-function-cognitive-complexity":
                    check = "complexity"
                elif names[0] == "misc-no-recursion":
                    check = "recursion"
                elif names[0] == "clang-diagnostic-vla":
                    check = "vla"
                f = ctx.add(Finding(check, scope, "clang-tidy:" + names[0], fpath, ln, msg, col))
                f.aliases = ["clang-tidy:" + n for n in names]
