# SPDX-License-Identifier: Apache-2.0
"""Bulkhead's certification-style static analysis (`make analyze`), one module per check.

ci/analyze/analyze.py is the command; bhanalyze.cli.main is what it runs. The
modules: paths and findings (what every check shares), shell and sources
(running tools, reading files), one module per check (misra, tidy,
gcc_analyzer, stack + callgraph + recursion, structure, complexity, size,
coverage), records (suppressions and deviation records), and the two outputs
(report: report.md and findings.*, stack_doc: stack-and-coverage.md).
"""
