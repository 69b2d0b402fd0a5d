/* emit.h: write the model as deterministic C data plus its header. */
#ifndef MIGC_GEN_EMIT_H
#define MIGC_GEN_EMIT_H

#include <stdio.h>

#include "diag.h"
#include "model.h"
#include "pack.h"

/* Write bytes as a C string literal: one literal piece per source line, each
 * continued on a new line after indent; every byte round-trips exactly
 * (escapes for quotes, backslashes, control and non-ASCII bytes, and "??"
 * so that no trigraph forms). */
void emit_c_string(FILE *out, const char *bytes, size_t len,
                   const char *indent);

/* Write OUT.c and OUT.h for m, and the packs' rows (packs may be NULL:
 * none), under the C identifier symbol. Both files are written to
 * temporary names and renamed into place only when both were written in
 * full; on failure nothing is left behind and [io] is reported. Returns 0
 * or -1. */
int emit_files(const struct model *m, const struct pack_set *packs,
               const char *symbol, const char *out_c, const char *out_h,
               struct diags *d);

/* True when s can name the schema: a C identifier, not a C or C++ keyword,
 * not starting with migc_ (the generated file's own names). */
int emit_valid_symbol(const char *s);

#endif
