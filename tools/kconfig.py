#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Kconfig glue over kconfiglib (Debian python3-kconfiglib).

  kconfig.py olddefconfig KCONFIG DEFCONFIG DOTCONFIG   resolve DOTCONFIG (seeded from DEFCONFIG if absent)
  kconfig.py savedefconfig KCONFIG DOTCONFIG DEFCONFIG  write the minimal defaults file back
  kconfig.py header KCONFIG DOTCONFIG HEADER            C header for the hypervisor (CONFIG_* macros)
  kconfig.py menuconfig KCONFIG DOTCONFIG               the curses editor
"""
import os
import sys

try:
    import kconfiglib
except ImportError:
    # One line instead of a traceback: `make run`, `make test` and `make deps`
    # install python3-kconfiglib before anything is configured.
    sys.stderr.write(f"kconfig: {sys.executable} cannot import kconfiglib: run `make deps` "
                     "(installs python3-kconfiglib)\n")
    sys.exit(1)


class ConfigError(Exception):
    pass


def out_of_range(sym):
    """'lo..hi' if the user's value of an int/hex symbol is outside its active
    range (kconfiglib would quietly fall back on the default), else None."""
    if sym.type not in (kconfiglib.INT, kconfiglib.HEX) or sym.user_value is None:
        return None
    for low, high, cond in sym.ranges:
        if kconfiglib.expr_value(cond):
            base = 16 if sym.type == kconfiglib.HEX else 10
            try:
                v = int(sym.user_value, base)
            except ValueError:
                return None      # kconfiglib's own warning names a malformed value
            lo, hi = int(low.str_value, 0), int(high.str_value, 0)  # "16", "0x1f"
            return None if lo <= v <= hi else f"{low.str_value}..{high.str_value}"
    return None


def check(kconf, files):
    """Every assignment in files must land as written: an unknown symbol, a value
    outside a range or of the wrong type is an error, never a silent default."""
    errors = []
    for sym in kconf.unique_defined_syms:
        rng = out_of_range(sym)
        if rng is not None:
            prompt = f" ({sym.nodes[0].prompt[0]})" if sym.nodes[0].prompt else ""
            errors.append(f"CONFIG_{sym.name}={sym.user_value} is outside {rng}{prompt}")
    where = " + ".join(files)
    for w in kconf.warnings:
        if "outside the active range" in w or "set more than once" in w:
            continue  # the first is reported above; the second is what an overlay does
        w = w.replace("warning: ", "", 1).replace(" -- assignment ignored", "")
        errors.append(w if w.startswith(files) else f"{where}: {w}")
    if errors:
        raise ConfigError("\n".join(e if e.startswith(files) else f"{where}: {e}"
                                     for e in errors))


def load(kconfig, *files):
    """Kconfig with files loaded in order (later ones override earlier ones).
    A defconfig is the user's own file: every assignment in it must exist. A
    .config is this tool's output: a symbol since removed from Kconfig is dropped."""
    kconf = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    for i, f in enumerate(files):
        kconf.warn_assign_undef = not f.endswith(".config")
        kconf.load_config(f, replace=(i == 0))
    for sym in kconf.unique_defined_syms:
        sym.str_value  # evaluates ranges, so kconfiglib records what it would ignore
    check(kconf, files)
    return kconf


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "olddefconfig":
        kconfig, defconfig, dotconfig = argv[1:4]
        os.makedirs(os.path.dirname(dotconfig) or ".", exist_ok=True)
        if not os.path.exists(dotconfig):
            kconf = load(kconfig, defconfig)
        elif os.path.getmtime(defconfig) > os.path.getmtime(dotconfig):
            # The system's defconfig changed after the last build: its values win
            # over the old .config, and what menuconfig set elsewhere stays.
            kconf = load(kconfig, dotconfig, defconfig)
            print(f"{dotconfig}: updated from {defconfig}")
        else:
            kconf = load(kconfig, dotconfig)
        kconf.write_config(dotconfig, header="# Bulkhead build options; edit with make menuconfig\n")
    elif cmd == "savedefconfig":
        kconfig, dotconfig, defconfig = argv[1:4]
        load(kconfig, dotconfig).write_min_config(defconfig)
        print(f"saved {defconfig}")
    elif cmd == "header":
        kconfig, dotconfig, header = argv[1:4]
        os.makedirs(os.path.dirname(header) or ".", exist_ok=True)
        load(kconfig, dotconfig).write_autoconf(header)
    elif cmd == "menuconfig":
        kconfig, dotconfig = argv[1:3]
        os.environ["KCONFIG_CONFIG"] = dotconfig
        import menuconfig
        menuconfig.menuconfig(kconfiglib.Kconfig(kconfig))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ConfigError as e:
        sys.stderr.write(f"{e}\n")
        sys.exit(1)
