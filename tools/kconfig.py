#!/usr/bin/python3
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


def load(kconfig, dotconfig):
    kconf = kconfiglib.Kconfig(kconfig, warn_to_stderr=False)
    kconf.load_config(dotconfig)
    for w in kconf.warnings:
        sys.stderr.write(f"{dotconfig}: {w}\n")
    return kconf


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "olddefconfig":
        kconfig, defconfig, dotconfig = argv[1:4]
        os.makedirs(os.path.dirname(dotconfig) or ".", exist_ok=True)
        seed = dotconfig if os.path.exists(dotconfig) else defconfig
        kconf = load(kconfig, seed)
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
    sys.exit(main(sys.argv[1:]))
