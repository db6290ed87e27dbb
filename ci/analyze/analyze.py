#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Bulkhead's certification-style static analysis: the one command behind `make analyze`.

    analyze.py --inputs <out>/inputs.txt --out <out> [--only misra,tidy,...]

The checks live in the bhanalyze package next to this file (bhanalyze/cli.py
describes them); exit code 0 when no finding is open, 1 when one is, 2 when a
tool is missing.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bhanalyze.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
