/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest images: a cell's `image = "NAME"` is the raw binary
 * <image-dir>/NAME.bin. Its size drives validation; its absolute path goes
 * into gen/images.S (.incbin).
 */
#ifndef BHC_IMAGES_H
#define BHC_IMAGES_H

#include "model.h"

/* Locate every cell's image; reports missing or unreadable files. */
void images_resolve(struct sys *s, const char *image_dir);

#endif
