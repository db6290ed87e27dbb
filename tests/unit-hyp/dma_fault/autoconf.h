/* SPDX-License-Identifier: Apache-2.0 */
/* The autoconf.h of the DMA fault unit test: log.h's include; the test's bh_log takes every level. */
#ifndef BH_TEST_AUTOCONF_H
#define BH_TEST_AUTOCONF_H
#endif
