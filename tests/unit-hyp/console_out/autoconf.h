/* SPDX-License-Identifier: Apache-2.0 */
/* The autoconf.h of the console output unit test: budgets no test run
 * exhausts, so every byte of the flood takes the UART lock. */
#ifndef BH_TEST_AUTOCONF_H
#define BH_TEST_AUTOCONF_H
#define CONFIG_CONSOLE_CELL_RATE  1000000000
#define CONFIG_CONSOLE_CELL_BURST 1000000000
#endif
