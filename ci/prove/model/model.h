/* SPDX-License-Identifier: Apache-2.0 */
/* Proof build only: what the model files and the harness share. */
#ifndef BH_PROVE_MODEL_H
#define BH_PROVE_MODEL_H

#include "bulkhead/hart.h"

/* tp (model/include/arch/this_hart.h). */
extern struct bh_hart *bh_model_tp;

#endif
