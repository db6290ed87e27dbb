/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Memory layout shared by the test guests' assembly, C and linker script.
 *
 * Both guests follow the RT-Thread contract in docs/DESIGN "Guest contracts":
 * load address = entry = guest-physical 0x80200000, position dependent.
 */
#ifndef CELLS_LAYOUT_H
#define CELLS_LAYOUT_H

#define GUEST_LOAD_ADDR 0x80200000

/* One stack per hart slot: slot 0 = boot hart, slot 1 = hart started by HSM. */
#define GUEST_STACK_SIZE 0x4000
#define GUEST_NSLOTS	 2

#endif
