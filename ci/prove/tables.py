#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The generated tables `make prove` analyzes for one system, written to
<out>/gen by the config compiler as for a build, but with a stand-in for each
guest image named by --stand-in (the Linux kernel, RT-Thread): images that
take minutes to build or that the user supplies.

The hypervisor reads an image only through its size (bh_cell_load copies it
from the pristine copy into the cell on a restart; the tables give the size and
size the pristine array). A stand-in is an empty sparse file of size S, the
largest multiple of 4 KiB at which every stand-in of the system, all of that
size, still passes the config compiler's checks (image inside its RAM region,
clear of the DTB, pristine copies inside the hypervisor region). Any real
images no larger than S that the system accepts lead to the same code paths
with smaller copies (docs/safety/proof.md, "Assumptions").

Every other image is the one the build uses (<image-dir>/<name>.bin).
Prints one line naming the stand-ins and S.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

PAGE = 4096
# The search's upper end: larger than any RAM region of the platforms in dts/.
LIMIT = 1 << 40


def fail(msg):
    print(f"prove tables: {msg}", file=sys.stderr)
    sys.exit(1)


def bhconfig(args, images, out, quiet):
    cmd = [args.bhconfig, "--system", args.system, "--platform", args.platform, "--kconfig", args.kconfig,
           "--image-dir", images, "--out", out]
    p = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if p.returncode != 0 and not quiet:
        sys.stderr.write(p.stdout + p.stderr)
    return p.returncode == 0


def image_names(args):
    p = subprocess.run([args.bhconfig, "--system", args.system, "--list-images"], capture_output=True, text=True,
                       check=False)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        fail(f"{args.system}: bhconfig --list-images failed")
    return sorted(set(p.stdout.split()))


def size_stand_ins(names, images, size):
    for n in names:
        with open(os.path.join(images, f"{n}.bin"), "wb") as f:
            f.truncate(size)


def largest_size(args, stand_ins, images):
    """The largest multiple of PAGE the system accepts with every stand-in of
    that size. Each check the compiler makes bounds an image's size from above
    (or, for the entry point, from below by one byte), so acceptance is
    monotone and a bisection finds the edge."""
    with tempfile.TemporaryDirectory(prefix="bh-prove-tables-") as scratch:
        def accepts(pages):
            size_stand_ins(stand_ins, images, pages * PAGE)
            return bhconfig(args, images, os.path.join(scratch, str(pages)), quiet=True)

        lo, hi = 1, LIMIT // PAGE
        if not accepts(lo):
            size_stand_ins(stand_ins, images, PAGE)
            bhconfig(args, images, scratch, quiet=False)
            fail(f"{args.system}: rejected even with {PAGE}-byte stand-ins for {', '.join(stand_ins)}")
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if accepts(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo * PAGE


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bhconfig", required=True)
    ap.add_argument("--system", required=True)
    ap.add_argument("--platform", required=True)
    ap.add_argument("--kconfig", required=True)
    ap.add_argument("--image-dir", required=True, help="where the build's images are (<name>.bin)")
    ap.add_argument("--stand-in", default="", help="image names to replace (space-separated)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    names = image_names(args)
    stand_ins = [n for n in names if n in args.stand_in.split()]
    images = os.path.join(args.out, "images")
    shutil.rmtree(images, ignore_errors=True)
    os.makedirs(images)
    for n in names:
        if n not in stand_ins:
            real = os.path.abspath(os.path.join(args.image_dir, f"{n}.bin"))
            if not os.path.isfile(real):
                fail(f"{args.system}: image \"{n}\": no {real} (the build makes it)")
            os.symlink(real, os.path.join(images, f"{n}.bin"))

    size = largest_size(args, stand_ins, images) if stand_ins else 0
    size_stand_ins(stand_ins, images, size)
    if not bhconfig(args, images, args.out, quiet=False):
        fail(f"{args.system}: the config compiler rejected the system")
    if len(stand_ins) > 1:
        note = f"stand-ins {', '.join(stand_ins)} of {size:#x} bytes each (the largest the system accepts)"
    elif stand_ins:
        note = f"stand-in {stand_ins[0]} of {size:#x} bytes (the largest the system accepts)"
    else:
        note = "the build's images"
    with open(os.path.join(args.out, "images.txt"), "w", encoding="utf-8") as f:
        f.write(note + "\n")
    print(f"prove tables {os.path.basename(args.system)[:-4]}: {note}")


if __name__ == "__main__":
    main()
