/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ARCH_ISA_CHECK_H
#define ARCH_ISA_CHECK_H
#include "bulkhead/hart.h"
/* Returns 0 if the hart has every feature Bulkhead needs, else what is missing. */
const char *arch_missing_feature(struct bh_hart *h);
#endif
