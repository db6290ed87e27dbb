/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storm: a cell that faults at once on every boot, as an image that is not
 * an image would. Each boot prints its number and the time it began
 * (rdtime, 10 MHz), so the test measures the hypervisor's back-off between
 * restarts from the guest's side, then stores outside its map.
 *
 * Output: "storm: boot <n> at <time>"
 */
#include "csr.h"
#include "hostile.h"

#define OUTSIDE_MAP 0x1000UL /* guest-physical page no cell config maps */

void storm_run(struct persist *p)
{
	say("storm: boot %u at %u", p->boots, rdtime());
	*(volatile unsigned long *)OUTSIDE_MAP = p->boots;
	say("storm: the store did not fault");
}
