# SPDX-License-Identifier: Apache-2.0
"""Running the analysis tools: one command, its version line, many commands in parallel."""

import concurrent.futures
import subprocess

from .paths import ROOT


def run(cmd, cwd=ROOT, timeout=600, env=None, input_text=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env,
                           input=input_text, errors="replace")
        return p.returncode, p.stdout, p.stderr
    except FileNotFoundError as e:
        return 127, "", str(e)
    except subprocess.TimeoutExpired:
        return 124, "", "timed out after %ss: %s" % (timeout, " ".join(cmd))


def tool_version(cmd):
    rc, out, err = run(cmd)
    text = (out or err).strip().splitlines()
    return text[0] if text else "?"


def pmap(ctx, fn, items):
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, ctx.jobs)) as ex:
        return list(ex.map(fn, items))
