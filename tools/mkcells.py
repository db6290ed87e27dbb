#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a system config of N one-hart rtos-contract cells, c0 .. c<N-1>, cell
i on hart i with 128 MiB of its own RAM from host 0x88000000 + i * 128 MiB:
the shape of configs/rtos64.dts (64 cells on dts/qemu-virt-64.dts), used by
`make bench` to measure how the build grows with the number of cells.

  mkcells.py --cells 64 --platform qemu-virt-64 --name rtos64 > configs/rtos64.dts
"""

import argparse
import sys

CELL_RAM = 0x08000000
FIRST_HOST = 0x88000000

HEADER = """\
/*
 * {name}: {cells} cells c0..c{last} of cells/rtos-contract, one per hart of
 * the platform dts/{platform}.dts, each with 128 MiB of its own RAM from
 * 0x88000000 up. Made by tools/mkcells.py. `make CONFIG={name} run` boots them
 * all; Ctrl-T and a cell number moves the input (of more than ten cells,
 * Enter ends a number that a longer one starts with: Ctrl-T 1 Enter is cell 1).
 */
/dts-v1/;

/ {{
\tcompatible = "bulkhead,system";
\tmodel = "{name}";
\tbulkhead,platform = "{platform}";

\thypervisor {{
\t\t/* code, generated G-stage tables and pristine cell images */
\t\treg = <0x0 0x80200000 0x0 0x03e00000>;
\t}};

\tcells {{
"""

CELL = """\
\t\tc{i} {{
\t\t\tharts = <{i}>;
\t\t\timage = "rtos-contract";
\t\t\timage-address = <0x0 0x80200000>;
\t\t\tentry = <0x0 0x80200000>;
\t\t\tconsole = "ns16550";
\t\t\tfault-policy = "restart";

\t\t\tmemory@80000000 {{
\t\t\t\tguest-address = <0x0 0x80000000>;
\t\t\t\thost-address = <0x{hi:x} 0x{lo:08x}>;
\t\t\t\tsize = <0x0 0x08000000>;
\t\t\t\taccess = "rwx";
\t\t\t}};
\t\t}};
"""


def system_source(cells, platform, name):
    out = [HEADER.format(name=name, cells=cells, last=cells - 1, platform=platform)]
    for i in range(cells):
        host = FIRST_HOST + i * CELL_RAM
        if i:
            out.append("\n")
        out.append(CELL.format(i=i, hi=host >> 32, lo=host & 0xFFFFFFFF))
    out.append("\t};\n};\n")
    return "".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cells", type=int, required=True)
    ap.add_argument("--platform", required=True)
    ap.add_argument("--name", required=True)
    a = ap.parse_args(argv)
    if a.cells < 1:
        sys.stderr.write(f"mkcells: --cells {a.cells}: at least one cell\n")
        return 1
    sys.stdout.write(system_source(a.cells, a.platform, a.name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
