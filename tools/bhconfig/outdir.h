/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing the outputs all-or-nothing: every file goes to a temporary
 * directory inside --out first and is renamed into place only when all of
 * them were written. Every file is replaced, even with equal content: the
 * objects built from gen/images.S depend on the .incbin'd images and DTBs,
 * which make cannot see, so a fresh timestamp is what makes them rebuild.
 */
#ifndef BHC_OUTDIR_H
#define BHC_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct outfile {
    char *rel; /* path relative to --out, e.g. "gen/cells.c" */
    const void *data;
    size_t len;
};

/* Create `dir` and its parents if needed; false (with a diagnostic) on error. */
bool outdir_mkdirs(const char *dir);

bool outdir_commit(const char *out, const struct outfile *files, size_t n);

#endif
