/* SPDX-License-Identifier: Apache-2.0 */
#define _XOPEN_SOURCE 700
#include "images.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

static void resolve(const struct sys *s, struct cell *c, const char *image_dir)
{
    char *path = xasprintf("%s/%s.bin", image_dir, c->image);
    struct stat st;
    char abs[PATH_MAX];

    if (stat(path, &st) != 0 || access(path, R_OK) != 0) {
        diag_cell(s, c, "image", "\"%s\": cannot read %s: %s", c->image, path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        diag_cell(s, c, "image", "\"%s\": %s is not a regular file", c->image, path);
    } else if (st.st_size == 0) {
        diag_cell(s, c, "image", "\"%s\": %s is empty", c->image, path);
    } else if (realpath(path, abs) == NULL) {
        diag_cell(s, c, "image", "\"%s\": %s: %s", c->image, path, strerror(errno));
    } else {
        c->image_path = xstrdup(abs);
        c->image_size = (uint64_t)st.st_size;
        c->image_ok = true;
    }
    free(path);
}

void images_resolve(struct sys *s, const char *image_dir)
{
    for (unsigned i = 0; i < s->num_cells; i++) {
        if (s->cells[i].image != NULL) {
            resolve(s, &s->cells[i], image_dir);
        }
    }
}
