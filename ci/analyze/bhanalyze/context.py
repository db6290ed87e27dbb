# SPDX-License-Identifier: Apache-2.0
"""The state of one analysis run: its inputs (from <out>/inputs.txt), the findings and the figures."""

import os
import shlex

from .paths import ROOT


class Ctx:
    def __init__(self, inputs, out, jobs):
        self.inp = inputs
        self.out = out
        self.jobs = jobs
        self.findings = []
        self.sections = {}     # report sections by name -> list of markdown lines
        self.timing = []
        self.versions = {}
        self.cross = inputs.get("cross", "riscv64-unknown-elf-")
        self.config = inputs["config"]
        self.obj = inputs["obj"]
        self.elf = inputs["hyp_elf"]
        self.hyp_cflags = shlex.split(inputs.get("hyp_cflags", ""))
        self.host_cflags = shlex.split(inputs.get("host_cflags", ""))
        self.hyp_srcs = [s for s in inputs.get("hyp_srcs", "").split() if s.endswith(".c")]
        gen = inputs.get("hyp_gen_dir", "")
        if gen and os.path.isdir(os.path.join(ROOT, gen)):
            self.hyp_srcs += sorted(os.path.join(gen, f) for f in os.listdir(os.path.join(ROOT, gen))
                                    if f.endswith(".c"))
        self.hyp_asm = [s for s in inputs.get("hyp_srcs", "").split() if s.endswith(".S")]
        self.host_srcs = [s for s in inputs.get("host_srcs", "").split() if s.endswith(".c")]
        self.misra_rules = {}  # "10.4" -> dict(kind, category, summary, status)

    def add(self, f):
        self.findings.append(f)
        return f
