/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "outdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

bool outdir_mkdirs(const char *dir)
{
    char *p = xstrdup(dir);
    bool ok = true;

    for (char *q = p + 1; ok; q++) {
        bool end = (*q == '\0');
        if (*q == '/' || end) {
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                diag_line("%s: cannot create directory: %s", p, strerror(errno));
                ok = false;
            }
            if (end) {
                break;
            }
            *q = '/';
        }
    }
    free(p);
    return ok;
}

static bool write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        diag_line("%s: cannot write: %s", path, strerror(errno));
        return false;
    }
    bool ok = fwrite(data, 1U, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        diag_line("%s: write failed: %s", path, strerror(errno));
    }
    return ok;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return (slash != NULL) ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* Remove the temporary tree: its files, then its directories deepest first. */
static void cleanup(const char *tmp, const struct outfile *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", tmp, files[i].rel);
        (void)unlink(path);
        char *dir = dir_of(path);
        while (strlen(dir) > strlen(tmp)) {
            (void)rmdir(dir);
            char *up = dir_of(dir);
            free(dir);
            dir = up;
        }
        free(dir);
        free(path);
    }
    (void)rmdir(tmp);
}

static bool stage(const char *tmp, const struct outfile *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", tmp, files[i].rel);
        char *dir = dir_of(path);
        bool ok = outdir_mkdirs(dir) && write_file(path, files[i].data, files[i].len);
        free(dir);
        free(path);
        if (!ok) {
            return false;
        }
    }
    return true;
}

static bool publish(const char *out, const char *tmp, const struct outfile *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *from = xasprintf("%s/%s", tmp, files[i].rel);
        char *to = xasprintf("%s/%s", out, files[i].rel);
        char *dir = dir_of(to);
        bool ok = outdir_mkdirs(dir);
        if (ok && rename(from, to) != 0) {
            diag_line("%s: cannot rename into place: %s", to, strerror(errno));
            ok = false;
        }
        free(dir);
        free(to);
        free(from);
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool outdir_commit(const char *out, const struct outfile *files, size_t n)
{
    char *tmp = xasprintf("%s/.bhconfig-XXXXXX", out);

    if (!outdir_mkdirs(out)) {
        free(tmp);
        return false;
    }
    if (mkdtemp(tmp) == NULL) {
        diag_line("%s: cannot create a temporary directory: %s", out, strerror(errno));
        free(tmp);
        return false;
    }
    bool ok = stage(tmp, files, n) && publish(out, tmp, files, n);
    cleanup(tmp, files, n);
    free(tmp);
    return ok;
}
