# SPDX-License-Identifier: Apache-2.0
"""Config fuzzing: tools/fuzz/config_fuzz.py against build/host/bhconfig.

A fixed seed, 1000 mutants of configs/*.dts and tests/configs/good/*.dts within
a 50 s budget: no crash, no hang, only exit status 0 or 1, clean rejections that
write nothing, complete outputs on acceptance, accepted systems that obey the
documented rules (re-checked independently from system.json), deterministic
results. Two self-tests keep the fuzzer honest: the corpus round-trips through
its DTS printer unchanged in meaning, and the acceptance oracle does catch
broken systems.
"""

import copy
import importlib.util
import json
import os
import shutil
import tempfile

SEED = 0x5eed
ITERATIONS = 1000
BUDGET = 50.0


def load_fuzzer(root):
    path = os.path.join(root, "tools", "fuzz", "config_fuzz.py")
    spec = importlib.util.spec_from_file_location("config_fuzz", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "*": ["CFG-10"],
}


def collect(ctx):
    cf = load_fuzzer(ctx.root)
    build = ctx.build if os.path.isabs(ctx.build) else os.path.join(ctx.root, ctx.build)
    exe = os.path.join(build, "host", "bhconfig")

    def fuzzer(work, seed=SEED):
        if not os.access(exe, os.X_OK):
            raise AssertionError(f"{exe} is missing: run 'make bhconfig' first")
        return cf.Fuzzer(exe, work, seed)

    def t_corpus_roundtrip():
        with tempfile.TemporaryDirectory(prefix="bhfuzz-") as work:
            fz = fuzzer(work)
            assert len(fz.corpus) >= 5, f"corpus of {len(fz.corpus)} configs"
            for n, (src, (header, root)) in enumerate(fz.corpus):
                before = len(fz.problems)
                fz.check(n * 25 + 1, src, cf.emit(header, root), ["none"])
                why = "; ".join(p[1] for p in fz.problems[before:]) or "rejected by bhconfig"
                assert fz.stats["accepted"] == n + 1 and len(fz.problems) == before, \
                    f"{src} re-emitted by the fuzzer's printer: {why}"

    def t_oracle():
        with tempfile.TemporaryDirectory(prefix="bhfuzz-") as work:
            fz = fuzzer(work)
            src = os.path.join("configs", "baremetal-pair.dts")
            header, root = next(t for p, t in fz.corpus if p == src)
            dts = os.path.join(work, "good.dts")
            with open(dts, "w") as f:
                f.write(cf.emit(header, root))
            out = os.path.join(work, "out")
            os.makedirs(out)
            r = fz.compile(dts, out)
            assert r.returncode == 0, r.stderr.decode()
            with open(os.path.join(out, "system.json")) as f:
                good = json.load(f)
            assert cf.check_accepted(good) == [], cf.check_accepted(good)

            def broken(edit):
                s = copy.deepcopy(good)
                edit(s)
                return cf.check_accepted(s)

            a, b = good["cells"][0], good["cells"][1]
            cases = {
                "hart in two cells": lambda s: s["cells"][1]["harts"].append(
                    s["cells"][0]["harts"][0]),
                "host RAM overlap": lambda s: s["cells"][1]["regions"][0].update(
                    host=a["regions"][0]["host"] + 0x1000),
                "over the hypervisor": lambda s: s["cells"][0]["regions"][0].update(
                    host=s["hypervisor"]["base"]),
                "outside RAM": lambda s: s["cells"][0]["regions"][0].update(host=0x7fe00000),
                "entry outside image": lambda s: s["cells"][0].update(
                    entry=a["image_address"] + a["image_size"]),
                "DTB over image": lambda s: s["cells"][1].update(dtb_address=b["image_address"]),
                "guest over vPLIC": lambda s: s["cells"][0]["regions"][0].update(
                    guest=0x0c000000),
                "no-x entry": lambda s: s["cells"][0]["regions"][0].update(access="rw"),
                "hart missing": lambda s: s["cells"][0]["harts"].append(7),
                "bus master without dma": lambda s: s["cells"][0]["devices"].append(
                    "virtio_mmio@10001000"),
                "dma without bus master": lambda s: s["cells"][0].update(dma="unconfined"),
            }
            missed = [name for name, edit in cases.items() if not broken(edit)]
            assert not missed, f"the acceptance oracle misses: {missed}"

    def t_fuzz():
        with tempfile.TemporaryDirectory(prefix="bhfuzz-") as work:
            fz = fuzzer(work)
            st = fz.run(ITERATIONS, BUDGET)
            msgs = [f"{k}: {m}" for k, m, _, _ in fz.problems]
            if fz.problems:
                keep = os.path.join(build, "fuzz", "failures")
                shutil.rmtree(keep, ignore_errors=True)
                os.makedirs(keep)
                for i, (kind, msg, text, _) in enumerate(fz.problems):
                    base = os.path.join(keep, f"{i:03d}-{kind}")
                    with open(base + ".dts", "w", encoding="utf-8", errors="surrogateescape") as f:
                        f.write(text)
                    with open(base + ".txt", "w") as f:
                        f.write(msg + "\n")
            assert not fz.problems, (f"{len(fz.problems)} problems in {st['iterations']} mutants "
                                     f"(seed {SEED:#x}; kept in build/fuzz/failures):\n"
                                     + "\n".join("    " + m.splitlines()[0] for m in msgs[:10]))
            assert st["iterations"] >= 300, f"only {st['iterations']} mutants in {BUDGET} s"
            validated = st["rejected"] - st["dtc_rejected"]
            assert st["accepted"] >= 50 and validated >= 200, \
                f"weak mix: {st['accepted']} accepted, {validated} rejected by validation"

    return [
        ("corpus_roundtrip", t_corpus_roundtrip),
        ("acceptance_oracle_selftest", t_oracle),
        ("seeded_mutants_clean", t_fuzz),
    ]
