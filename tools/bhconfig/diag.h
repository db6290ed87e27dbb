/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configuration errors. Every rule reports into one list instead of stopping
 * at the first problem, so the user fixes a config in one round; nothing is
 * written when the list is not empty. One line per problem:
 *   <file>: cell '<cell>': <property>: <message>
 *   <file>: <node path or "hypervisor">: <property>: <message>
 * Warnings are kept apart: they describe a system that is accepted (e.g. a
 * device that can DMA anywhere) and are printed only when nothing is wrong:
 *   <file>: cell '<cell>': <property>: warning: <message>
 */
#ifndef BHC_DIAG_H
#define BHC_DIAG_H

#include <stdio.h>

struct cell;
struct sys;

/* A free-form line, already prefixed by its caller. */
void diag_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "<file>: <where>: <prop>: msg" for a node or the hypervisor. */
void diag_at(const char *file, const char *where, const char *prop, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "<system file>: cell '<name>': <prop>: msg". */
void diag_cell(const struct sys *s, const struct cell *c, const char *prop, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "<system file>: cell '<name>': <prop>: warning: msg", into the warning list. */
void diag_warn_cell(const struct sys *s, const struct cell *c, const char *prop, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

unsigned diag_count(void);
const char *diag_get(unsigned i);
void diag_print(FILE *f);
unsigned diag_warn_count(void);
const char *diag_warn_get(unsigned i);
void diag_print_warnings(FILE *f);
/* Forget every error and warning. */
void diag_reset(void);

#endif
