# SPDX-License-Identifier: Apache-2.0
"""What the ELF of the hypervisor says: its symbols, its sections, the source line of an address."""

import re
import struct

from .paths import rel
from .shell import run


def parse_symbols(readelf_text, objects=None):
    """`readelf -sW` output -> text symbols: address -> [(name, source basename or '', type)];
    data objects (address, size, name, source basename or '') appended to `objects`."""
    syms = {}
    cur_file = ""
    for line in readelf_text.splitlines():
        p = line.split()
        if len(p) < 8 or not p[0].endswith(":") or not re.match(r"^[0-9a-f]+$", p[1]):
            continue
        addr, size, typ, bind, ndx, name = int(p[1], 16), p[2], p[3], p[4], p[6], p[7]
        if typ == "FILE":
            cur_file = re.sub(r"\.o$", "", name)
            continue
        if typ == "OBJECT" and objects is not None and size.isdigit():
            objects.append((addr, int(size), name, cur_file if bind == "LOCAL" else ""))
            continue
        if typ not in ("FUNC", "NOTYPE") or ndx in ("UND", "ABS") or name.startswith("$") or \
                name.startswith(".L"):
            continue
        syms.setdefault(addr, []).append((name, cur_file if bind == "LOCAL" else "", typ))
    return syms


def elf_symbols(ctx, objects=None):
    """Text symbols of the ELF: address -> (name, source basename or ''); data objects into `objects`."""
    rc, out, _ = run([ctx.cross + "readelf", "-sW", ctx.elf])
    return parse_symbols(out, objects)


def elf_sections(path):
    """Sections of a little-endian ELF64: name -> (type, address, contents; b'' for NOBITS)."""
    with open(path, "rb") as fh:
        data = fh.read()
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = []
    for i in range(shnum):
        name, typ, flags, addr, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        secs.append([name, typ, flags, addr, off, size])
    stroff = secs[shstrndx][4]
    out = {}
    for s in secs:
        end = data.index(b"\0", stroff + s[0])
        out[data[stroff + s[0]:end].decode()] = (s[1], s[3], data[s[4]:s[4] + s[5]] if s[1] != 8 else b"")
    return out


def addr2line(ctx, addrs):
    """address -> (source file, line), ('', 0) where the debug info has none."""
    if not addrs:
        return {}
    rc, out, _ = run([ctx.cross + "addr2line", "-e", ctx.elf], input_text="\n".join("%x" % a for a in addrs) + "\n")
    res = {}
    for a, line in zip(addrs, out.splitlines()):
        m = re.match(r"^(.*):(\d+)", line.strip())
        if m and m.group(1) != "??":
            res[a] = (rel(m.group(1)), int(m.group(2)))
        else:
            res[a] = ("", 0)
    return res
