# SPDX-License-Identifier: Apache-2.0
"""What a new user meets first, checked without installing anything:

  - `make help` prints the help text first and configures nothing;
  - `make run` / `make test` install (ci/install-deps.sh) before anything is
    configured, and a Python without kconfiglib (simulated: python3 -S, which
    leaves Debian's dist-packages off sys.path) gets one line, no traceback;
  - the project's documents stand alone: none links outside the repository
    (../shared or any other path above the clone), and every relative link in
    them names a file that exists.
"""

import os
import re
import subprocess
import tempfile

import bhtest

DOC_DIRS = ("docs",)


def make_env():
    return {k: v for k, v in os.environ.items()
            if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def no_kconfiglib_python(tmp):
    """A python3 that cannot import kconfiglib, as on a machine before `make deps`."""
    path = os.path.join(tmp, "python-no-kconfiglib")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"#!/bin/sh\nexec {bhtest.PYTHON} -S \"$@\"\n")
    os.chmod(path, 0o755)
    p = subprocess.run([path, "-c", "import kconfiglib"], capture_output=True, text=True)
    assert p.returncode != 0, f"{path} imports kconfiglib: the simulation does not hold"
    return path


def docs(root):
    out = [os.path.join(root, "README.md")]
    for d in DOC_DIRS:
        for dirpath, _dirs, files in os.walk(os.path.join(root, d)):
            out += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".md")]
    return out


# Requirements the tests below verify (docs/safety/requirements.md): test-name
# glob -> IDs; ci/analyze/trace.py builds docs/safety/trace-matrix.md from them.
VERIFIES = {
    "first_run/*": ["TOOL-MAKE-1"],
}


def collect(ctx):
    def make(tmp, *args):
        return subprocess.run(["make", "--no-print-directory", f"BUILD={tmp}"] + list(args),
                              capture_output=True, text=True, cwd=ctx.root, timeout=120,
                              env=make_env())

    def t_help():
        with tempfile.TemporaryDirectory() as tmp:
            py = no_kconfiglib_python(tmp)
            for extra in ([], [f"PYTHON={py}"]):
                p = make(tmp, *extra, "help")
                assert p.returncode == 0, p.stderr[-600:]
                first = p.stdout.splitlines()[0] if p.stdout else ""
                assert first.startswith("Bulkhead - "), \
                    f"`make help` starts with {first!r}, not the help text"
                assert "Traceback" not in p.stderr and "kconfig" not in p.stdout + p.stderr, \
                    "`make help` ran the configuration:\n" + (p.stdout + p.stderr)[:600]
                assert "RTTHREAD_SRC=" in p.stdout, "`make help` does not list RTTHREAD_SRC"
                assert not os.listdir(tmp) or os.listdir(tmp) == ["python-no-kconfiglib"], \
                    f"`make help` wrote into BUILD: {os.listdir(tmp)}"

    def t_install_first():
        # make -n prints the install step instead of running it; the sub-make
        # that builds still really configures (makefiles are remade under -n).
        with tempfile.TemporaryDirectory() as tmp:
            py = no_kconfiglib_python(tmp)
            for goal in ("run", "test"):
                p = make(tmp, "-n", f"PYTHON={py}", goal)
                out = (p.stdout + p.stderr).splitlines()
                deps = [i for i, l in enumerate(out) if "ci/install-deps.sh" in l]
                conf = [i for i, l in enumerate(out) if "kconfig" in l]
                assert deps, f"`make {goal}` does not install first:\n" + "\n".join(out[:10])
                assert not conf or deps[0] < conf[0], \
                    f"`make {goal}` configures before installing:\n" + "\n".join(out[:10])
                assert "Traceback" not in p.stderr, \
                    f"`make {goal}` without kconfiglib prints a traceback:\n{p.stderr[:800]}"
                msgs = [l for l in out if l.startswith("kconfig:")]
                assert all("make deps" in m for m in msgs), msgs

    def t_kconfig_missing_one_line():
        with tempfile.TemporaryDirectory() as tmp:
            py = no_kconfiglib_python(tmp)
            p = subprocess.run([py, os.path.join(ctx.root, "tools", "kconfig.py"), "olddefconfig",
                                "Kconfig", "configs/linux-baremetal.defconfig",
                                os.path.join(tmp, ".config")],
                               capture_output=True, text=True, cwd=ctx.root, timeout=60)
            assert p.returncode != 0
            lines = p.stderr.strip().splitlines()
            assert len(lines) == 1 and "kconfiglib" in lines[0] and "make deps" in lines[0], \
                p.stderr

    def t_docs_stand_alone():
        bad = []
        for path in docs(ctx.root):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rel = os.path.relpath(path, ctx.root)
            for n, line in enumerate(text.splitlines(), 1):
                if "../shared" in line or "DESIGN.md" in line:
                    bad.append(f"{rel}:{n}: {line.strip()[:100]}")
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
                if re.match(r"[a-z]+:", target):
                    continue
                full = os.path.normpath(os.path.join(os.path.dirname(path), target))
                if not full.startswith(ctx.root + os.sep):
                    bad.append(f"{rel}: link {target} leaves the repository")
                elif not os.path.exists(full):
                    bad.append(f"{rel}: link {target} names no file")
        assert not bad, "documents that do not stand alone:\n" + "\n".join(bad)

    return [(f"first_run/{n}", f) for n, f in (
        ("make_help_prints_help_first", t_help),
        ("run_and_test_install_before_configuring", t_install_first),
        ("kconfig_without_kconfiglib_one_line", t_kconfig_missing_one_line),
        ("docs_stand_alone", t_docs_stand_alone),
    )]
