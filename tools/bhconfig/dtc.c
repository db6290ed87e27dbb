/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "dtc.h"

#include <errno.h>
#include <libfdt.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "util.h"

extern char **environ;

/* Everything dtc writes to its stdout: the compiled blob. */
static char *read_all(int fd, size_t *size)
{
    size_t cap = 65536U;
    size_t len = 0U;
    char *buf = xmalloc(cap);

    for (;;) {
        if (len == cap) {
            cap *= 2U;
            buf = xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    *size = len;
    return buf;
}

void *dtc_compile(const char *path, size_t *size)
{
    int fds[2];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    /* -q: warnings such as unit_address_vs_reg do not concern our nodes. */
    char *argv[] = {"dtc", "-q", "-I", "dts", "-O", "dtb", (char *)path, NULL};

    if (access(path, R_OK) != 0) {
        diag_line("%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    if (pipe(fds) != 0) {
        diag_line("%s: dtc: pipe: %s", path, strerror(errno));
        return NULL;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    int rc = posix_spawnp(&pid, "dtc", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        diag_line("%s: cannot run dtc (install device-tree-compiler): %s", path, strerror(rc));
        return NULL;
    }
    size_t len = 0U;
    char *blob = read_all(fds[0], &len);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(blob);
        diag_line("%s: dtc could not compile it (see dtc's message above)", path);
        return NULL;
    }
    if (len < sizeof(struct fdt_header) || fdt_check_header(blob) != 0 || fdt_totalsize(blob) > len) {
        free(blob);
        diag_line("%s: dtc produced no valid device tree blob", path);
        return NULL;
    }
    *size = len;
    return blob;
}
