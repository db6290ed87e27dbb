# SPDX-License-Identifier: Apache-2.0
"""A fake RT-Thread checkout, shaped like RT-Thread 5.0.0 where the project's
build (cells/rtthread/build.py) touches it, for testing the build path when no
real checkout is at hand:

  tools/building.py                 PrepareBuilding/DoBuilding/DefineGroup/GetDepend/
                                    GetCurrentDir, as the BSP's SConstruct uses them
  include/rtdef.h, rtthread.h       version 5.0.0; rt_kprintf
  src/                              rtthread_startup: clears .bss, banner, main()
  libcpu/risc-v/virt64/startup_gcc.S  5.0.0's `boot_hartid: .int` (no bytes) and
                                    `sw a0` into it; csrw sie and FPU off (S-mode) or
                                    mie (M-mode)
  libcpu/risc-v/virt64/div.S        code in .text linked right after startup_gcc.o
  components/libc/compilers/newlib/ syscalls.c including <reent.h>; LIBS c, m
  bsp/qemu-virt64-riscv/            SConstruct writing link_stacksize.lds
                                    (__START_ADDR__ 0x80200000 with RISCV_S_MODE),
                                    rtconfig.py with 5.0.0's flags (rv64imafdc/lp64d,
                                    -O0, `-lc -lm`), rtconfig.h and .config with S-mode
                                    off, link.lds (a MEMORY region from __START_ADDR__),
                                    applications/ (main: "Hello RISC-V!", printf,
                                    msh /> prompt reading the NS16550), driver/ (UART)

At run time it follows the contract of docs/cells/rtthread.md: NS16550 at
0x10000000, polled. main calls fake_lshr (div.S): if boot_hartid's store
overwrote its first instruction, the cell faults before its prompt.

later_rtconfig_py() gives the BSP's rtconfig.py as RT-Thread's tree after
5.0.0 has it (lp64 and `-lsupc++ -lgcc -static`), for the link flags the build
derives from either.
"""

import os

FILES = {
    "include/rtdef.h": """\
#ifndef __RT_DEF_H__
#define __RT_DEF_H__
#define RT_VERSION                      5L
#define RT_SUBVERSION                   0L
#define RT_REVISION                     0L
#include <stddef.h>
#include <stdarg.h>
#include <sys/types.h>
#endif
""",
    "include/rtthread.h": """\
#ifndef __RT_THREAD_H__
#define __RT_THREAD_H__
#include <rtconfig.h>
#include <rtdef.h>
int rt_kprintf(const char *fmt, ...);
void rt_hw_console_output(const char *str);
int rt_hw_console_getc(void);
#endif
""",
    "src/SConscript": """\
from building import *
cwd = GetCurrentDir()
group = DefineGroup('Kernel', Glob('*.c'), depend=[''])
Return('group')
""",
    "src/kservice.c": """\
#include <stdio.h>
#include <rtthread.h>

int rt_kprintf(const char *fmt, ...)
{
    char buf[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rt_hw_console_output(buf);
    return n;
}
""",
    "src/components.c": """\
#include <rtthread.h>

extern char __bss_start[], __bss_end[];
extern int main(void);

void rtthread_startup(void)
{
    for (char *p = __bss_start; p < __bss_end; p++) {
        *p = 0;
    }
    rt_kprintf("\\n \\\\ | /\\n- RT -     Thread Operating System (fake test tree)\\n / | \\\\     5.0.0\\n");
    main();
}
""",
    "libcpu/risc-v/virt64/SConscript": """\
from building import *
src = ['startup_gcc.S', 'div.S']
group = DefineGroup('libcpu', src, depend=[''])
Return('group')
""",
    "libcpu/risc-v/virt64/startup_gcc.S": """\
#include <rtconfig.h>

boot_hartid: .int
    .global boot_hartid

    .global _start
    .section ".start", "ax"
_start:
    la t0, boot_hartid
    mv t1, a0
    sw t1, (t0)
#ifdef RISCV_S_MODE
    csrw sie, 0
    csrw sip, 0
    li t0, (3 << 13)
    csrc sstatus, t0
#else
    csrr t2, mhartid
    csrw mie, 0
#endif
.option push
.option norelax
    la gp, __global_pointer$
.option pop
    la sp, __stack_start__
    li t0, __STACKSIZE__
    add sp, sp, t0
    call rtthread_startup
1:  j 1b
""",
    "libcpu/risc-v/virt64/div.S": """\
    .text
    .global fake_lshr
fake_lshr:
    srl a0, a0, a1
    ret
""",
    "components/libc/compilers/newlib/SConscript": """\
from building import *
group = DefineGroup('Compiler', Glob('*.c'), depend=[''], LIBS=['c', 'm'])
Return('group')
""",
    "components/libc/compilers/newlib/syscalls.c": """\
#include <reent.h>
#include <errno.h>
#include <stdio.h>
#include <rtthread.h>

int _close_r(struct _reent *ptr, int fd)
{
    (void)fd;
    ptr->_errno = ENOTSUP;
    return -1;
}

_ssize_t _write_r(struct _reent *ptr, int fd, const void *buf, size_t nbytes)
{
    (void)ptr; (void)fd; (void)buf;
    return (_ssize_t)nbytes;
}
""",
    "tools/building.py": """\
# Fake of RT-Thread's tools/building.py: the functions the BSP's SConstruct and
# SConscripts call, with RT-Thread's variant directories under build/.
import os
import re
from SCons.Script import *

Env = None
Rtt_Root = ''
BuildOptions = {}


def GetCurrentDir():
    return os.path.dirname(File('SConscript').rfile().abspath)


def GetDepend(name):
    return BuildOptions.get(name, False)


def DefineGroup(name, src, depend, **kw):
    if depend and depend != [''] and not all(GetDepend(d) for d in depend):
        return []
    if 'CPPPATH' in kw:
        Env.AppendUnique(CPPPATH=kw['CPPPATH'])
    if 'LIBS' in kw:
        Env.AppendUnique(LIBS=kw['LIBS'])
    return Env.Object(src)


def PrepareBuilding(env, root_directory, has_libcpu=False, remove_components=[]):
    global Env, Rtt_Root
    Env = env
    Rtt_Root = os.path.abspath(root_directory)
    with open('rtconfig.h') as f:
        for m in re.finditer(r'^[ \\t]*#define[ \\t]+(\\w+)(?:[ \\t]+(\\S+))?', f.read(), re.M):
            v = m.group(2)
            BuildOptions[m.group(1)] = int(v) if v and v.isdigit() else (v or True)
    env.AppendUnique(CPPPATH=[os.path.join(Rtt_Root, 'include'), Dir('#').abspath])
    objs = SConscript('SConscript', variant_dir='build/bsp', duplicate=0)
    for sub in ('src', 'libcpu/risc-v/virt64', 'components/libc/compilers/newlib'):
        objs += SConscript(os.path.join(Rtt_Root, sub, 'SConscript'),
                           variant_dir=os.path.join('build', 'kernel', sub), duplicate=0)
    return objs


def DoBuilding(target, objects):
    import rtconfig
    program = Env.Program(target, objects)
    Env.AddPostAction(program, rtconfig.POST_ACTION)
""",
    "bsp/qemu-virt64-riscv/SConstruct": """\
import os
import sys
import rtconfig

from rtconfig import RTT_ROOT

sys.path = sys.path + [os.path.join(RTT_ROOT, 'tools')]
from building import *

TARGET = 'rtthread.' + rtconfig.TARGET_EXT

DefaultEnvironment(tools=[])
env = Environment(tools = ['mingw'],
    AS = rtconfig.AS, ASFLAGS = rtconfig.AFLAGS,
    CC = rtconfig.CC, CFLAGS = rtconfig.CFLAGS,
    CXX = rtconfig.CXX, CXXFLAGS = rtconfig.CXXFLAGS,
    AR = rtconfig.AR, ARFLAGS = '-rc',
    LINK = rtconfig.LINK, LINKFLAGS = rtconfig.LFLAGS)
env.PrependENVPath('PATH', rtconfig.EXEC_PATH)
env['ASCOM'] = env['ASPPCOM']

Export('RTT_ROOT')
Export('rtconfig')
rtconfig.CPU='virt64'
rtconfig.ARCH='risc-v'

objs = PrepareBuilding(env, RTT_ROOT, has_libcpu = False)

stack_size = 4096

stack_lds = open('link_stacksize.lds', 'w')
if GetDepend('__STACKSIZE__'): stack_size = GetDepend('__STACKSIZE__')
stack_lds.write('__STACKSIZE__ = %d;\\r\\n' % stack_size)
if GetDepend('RISCV_S_MODE'):  start_addr = int(0x80200000)
else: start_addr = int(0x80000000)
stack_lds.write('__START_ADDR__ = 0x%x;' % start_addr)
stack_lds.close()

DoBuilding(TARGET, objs)
""",
    "bsp/qemu-virt64-riscv/SConscript": """\
import os
from building import *

cwd = GetCurrentDir()
objs = []
for d in sorted(os.listdir(cwd)):
    if os.path.isfile(os.path.join(cwd, d, 'SConscript')):
        objs = objs + SConscript(os.path.join(d, 'SConscript'))
Return('objs')
""",
    "bsp/qemu-virt64-riscv/rtconfig.py": """\
import os

# toolchains options
ARCH        ='risc-v'
CPU         ='virt64'
CROSS_TOOL  ='gcc'

if os.getenv('RTT_ROOT'):
    RTT_ROOT = os.getenv('RTT_ROOT')
else:
    RTT_ROOT = os.path.join(os.getcwd(), '..', '..')

if os.getenv('RTT_CC'):
    CROSS_TOOL = os.getenv('RTT_CC')

if  CROSS_TOOL == 'gcc':
    PLATFORM    = 'gcc'
    EXEC_PATH   = r'/opt/riscv64-unknown-elf/bin'
else:
    print('Please make sure your toolchains is GNU GCC!')
    exit(0)

if os.getenv('RTT_EXEC_PATH'):
    EXEC_PATH = os.getenv('RTT_EXEC_PATH')

BUILD = 'debug'

if PLATFORM == 'gcc':
    # toolchains
    PREFIX  = 'riscv64-unknown-elf-'
    CC      = PREFIX + 'gcc'
    CXX     = PREFIX + 'g++'
    AS      = PREFIX + 'gcc'
    AR      = PREFIX + 'ar'
    LINK    = PREFIX + 'gcc'
    TARGET_EXT = 'elf'
    SIZE    = PREFIX + 'size'
    OBJDUMP = PREFIX + 'objdump'
    OBJCPY  = PREFIX + 'objcopy'

    DEVICE  = ' -mcmodel=medany -march=rv64imafdc -mabi=lp64d'
    CFLAGS  = DEVICE + ' -fvar-tracking -ffreestanding -fno-common -ffunction-sections -fdata-sections -fstrict-volatile-bitfields '
    AFLAGS  = ' -c' + DEVICE + ' -x assembler-with-cpp'
    LFLAGS  = DEVICE + ' -nostartfiles -Wl,--gc-sections,-Map=rtthread.map,-cref,-u,_start -T link.lds -lc -lm '
    CPATH   = ''
    LPATH   = ''

    if BUILD == 'debug':
        CFLAGS += ' -O0 -ggdb'
        AFLAGS += ' -ggdb'
    else:
        CFLAGS += ' -O2 -Os'

    CXXFLAGS = CFLAGS

DUMP_ACTION = OBJDUMP + ' -D -S $TARGET > rtthread.asm\\n'
POST_ACTION = OBJCPY + ' -O binary $TARGET rtthread.bin\\n' + SIZE + ' $TARGET \\n'
""",
    "bsp/qemu-virt64-riscv/rtconfig.h": """\
#ifndef RT_CONFIG_H__
#define RT_CONFIG_H__

/* Automatically generated file; DO NOT EDIT. */
#define RT_NAME_MAX 8
#define __STACKSIZE__ 16384
#define RT_USING_DEVICE

#endif
""",
    "bsp/qemu-virt64-riscv/.config": """\
CONFIG_RT_NAME_MAX=8
# CONFIG_RISCV_S_MODE is not set
""",
    "bsp/qemu-virt64-riscv/link.lds": """\
INCLUDE "link_stacksize.lds"

OUTPUT_ARCH( "riscv" )

MEMORY
{
   SRAM : ORIGIN = __START_ADDR__, LENGTH = 0x7FF000
}

ENTRY(_start)
SECTIONS
{
    . = __START_ADDR__ ;

    __text_start = .;
    .start :
    {
        *(.start);
    } > SRAM

    . = ALIGN(8);

    .text : 
    {
        *(.text)                        /* remaining code */
        *(.text.*)                      /* remaining code */
        *(.rodata)                      /* read-only data (constants) */
        *(.rodata*)
        . = ALIGN(8);
        _etext = .;
    } > SRAM

    .data :
    {
        *(.data)
        *(.data.*)
        . = ALIGN(8);
        PROVIDE( __global_pointer$ = . + 0x800 );
        *(.sdata)
        *(.sdata.*)
    } > SRAM

    .stack :
    {
        . = ALIGN(64);
        __stack_start__ = .;
        . += __STACKSIZE__;
        __stack_cpu0 = .;
    } > SRAM

    .sbss :
    {
    __bss_start = .;
        *(.sbss)
        *(.sbss.*)
        *(.scommon)
    } > SRAM

    .bss :
    {
        *(.bss)
        *(.bss.*)
        *(COMMON)
    __bss_end = .;
    } > SRAM
    _end = .;
}
""",
    "bsp/qemu-virt64-riscv/applications/SConscript": """\
from building import *

cwd     = GetCurrentDir()
src     = Glob('*.c') + Glob('*.cpp')
CPPPATH = [cwd]

group = DefineGroup('Applications', src, depend = [''], CPPPATH = CPPPATH)

Return('group')
""",
    "bsp/qemu-virt64-riscv/applications/main.c": """\
#include <stdio.h>
#include <string.h>
#include <rtthread.h>

extern unsigned long fake_lshr(unsigned long value, unsigned long shift);
extern unsigned int boot_hartid;

int main(void)
{
    char line[64];

    rt_kprintf("Hello RISC-V!\\n");
    printf("printf via picolibc: %lu\\n", fake_lshr(84UL, 2UL));
    for (;;) {
        unsigned int n = 0;
        rt_kprintf("msh />");
        for (;;) {
            int c = rt_hw_console_getc();
            if (c == '\\r' || c == '\\n') {
                break;
            }
            if (n + 1U < sizeof line) {
                line[n++] = (char)c;
                char echo[2] = { (char)c, 0 };
                rt_hw_console_output(echo);
            }
        }
        line[n] = 0;
        rt_kprintf("\\n");
        if (strcmp(line, "version") == 0) {
            rt_kprintf("fake RT-Thread 5.0.0, boot hart %u\\n", boot_hartid);
        } else if (n > 0U) {
            rt_kprintf("%s: command not found.\\n", line);
        }
    }
}
""",
    "bsp/qemu-virt64-riscv/driver/SConscript": """\
from building import *
group = DefineGroup('Drivers', Glob('*.c'), depend=[''], CPPPATH=[GetCurrentDir()])
Return('group')
""",
    "bsp/qemu-virt64-riscv/driver/drv_uart.c": """\
#include <rtthread.h>

#define UART_BASE 0x10000000UL
#define UART_RBR 0
#define UART_THR 0
#define UART_LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20

static volatile unsigned char *const uart = (volatile unsigned char *)UART_BASE;

void rt_hw_console_output(const char *str)
{
    for (; *str != 0; str++) {
        while ((uart[UART_LSR] & LSR_THRE) == 0) {
        }
        uart[UART_THR] = (unsigned char)*str;
    }
}

int rt_hw_console_getc(void)
{
    while ((uart[UART_LSR] & LSR_DR) == 0) {
    }
    return uart[UART_RBR];
}
""",
}


# What RT-Thread's rtconfig.py for this BSP changed after 5.0.0.
LATER_FLAGS = (
    ("-mabi=lp64d'", "-mabi=lp64 '"),
    ("-T link.lds -lc -lm '", "-T link.lds' + ' -lsupc++ -lgcc -static'"),
)


def later_rtconfig_py():
    text = FILES["bsp/qemu-virt64-riscv/rtconfig.py"]
    for old, new in LATER_FLAGS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write_tree(root, rename_startup=False):
    """Writes the fake checkout under root. rename_startup names the startup
    file start_gcc.S, so the build's boot_hartid slot (which selects
    startup_gcc.o) does not take it."""
    for rel, text in FILES.items():
        if rename_startup:
            if rel.endswith("startup_gcc.S"):
                rel = rel.replace("startup_gcc.S", "start_gcc.S")
            text = text.replace("'startup_gcc.S'", "'start_gcc.S'")
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return root


def snapshot(root):
    """{relative path: (size, mtime_ns, content)} of every file under root."""
    out = {}
    for d, _dirs, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            st = os.stat(p)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns, f.read())
    return out
