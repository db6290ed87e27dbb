# SPDX-License-Identifier: Apache-2.0
"""gcc -fanalyzer: the cross compiler over the hypervisor, the host compiler over the host tools."""

import os
import re

from .findings import Finding
from .shell import pmap, run


GCC_LINE = re.compile(r"^(.+?):(\d+):(\d+): (warning|error): (.*?)(?: \[(-W[\w\-=]+)\])?$")


def step_analyzer(ctx, scope):
    if scope == "hyp":
        cc = ctx.cross + "gcc"
        drop = ("-Werror", "-fstack-usage", "-g", "-MMD", "-MP")
        flags = [f for f in ctx.hyp_cflags if f not in drop and not f.startswith("-O")]
        files = ctx.hyp_srcs
    else:
        cc = ctx.inp.get("hostcc", "gcc")
        flags = [f for f in ctx.host_cflags if f != "-Werror" and not f.startswith("-O")]
        files = ctx.host_srcs
    tmp = os.path.join(ctx.out, "analyzer-" + scope)
    os.makedirs(tmp, exist_ok=True)

    def one(path):
        cmd = [cc] + flags + ["-O0", "-fanalyzer", "-fdiagnostics-plain-output", "-fno-diagnostics-show-caret",
                              "-c", path, "-o", os.path.join(tmp, os.path.basename(path) + ".o")]
        return path, run(cmd, timeout=600)

    seen = set()
    with open(os.path.join(ctx.out, "analyzer-%s.log" % scope), "w") as fh:
        for path, (rc, out, err) in pmap(ctx, one, files):
            fh.write("\n== %s (rc %d)\n%s%s" % (path, rc, out, err))
            if rc != 0 and "error:" not in err:
                ctx.add(Finding("analyzer", scope, "gcc:failed", path, 0, "compiler exited %d" % rc))
            for line in err.splitlines():
                m = GCC_LINE.match(line)
                if not m:
                    continue
                fpath, ln, col, sev, msg, opt = m.groups()
                rule = "gcc:" + (opt or sev)
                key = (fpath, ln, col, rule)
                if key in seen:
                    continue
                seen.add(key)
                ctx.add(Finding("analyzer", scope, rule, fpath, ln, msg, col))
