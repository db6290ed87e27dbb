# SPDX-License-Identifier: Apache-2.0
"""Where the repository is and the files the analysis reads, relative to it."""

import os


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SUPPRESSIONS = "ci/analyze/suppressions.txt"
INDIRECT = "ci/analyze/indirect-calls.txt"
TIDY_CONFIG = "ci/analyze/clang-tidy.yaml"
PLATFORM_XML = "ci/analyze/riscv64-lp64.xml"
MISRA_DOC = "docs/safety/misra.md"
DEVIATIONS_DOC = "docs/safety/deviations.md"


def rel(path):
    """path relative to the repository when it lies inside it, else unchanged."""
    path = os.path.normpath(path)
    if os.path.isabs(path):
        r = os.path.relpath(path, ROOT)
        return path if r.startswith("..") else r
    return path
