/* schema.h: a database's schema read once through the catalogs, and two
 * such snapshots compared object by object (libmigc_cli; used by
 * `migc verify` and by adoption). Internal: hidden, local in the installed
 * archive. docs/verify.md says what is compared and normalised. */
#ifndef MIGC_RUNTIME_SCHEMA_H
#define MIGC_RUNTIME_SCHEMA_H

#include <stddef.h>

#include "migc.h"

/* What a database holds, as comparable items; opaque. */
struct schema_snapshot;

struct schema_read_options {
    /* Tables to leave out with everything attached to them (columns,
     * constraints, indexes, triggers, policies, owned sequences): schema
     * and table name as stored, unquoted, joined by a dot
     * ("public.migc_migrations"). NULL-terminated; NULL for none. */
    const char *const *exclude_tables;
    /* Whole schemas to leave out (a replay ledger's, say), names as
     * stored. NULL-terminated; NULL for none. */
    const char *const *exclude_schemas;
    int grants; /* compare privileges too */
    int data;   /* compare each table's rows too (count and the md5 of the
                   rows' text in order) */
};

/* Read the schema of conn's database into *out (free it with
 * schema_free()). o may be NULL (no exclusions, no grants, no data).
 *
 * Reads in one read-only snapshot: on an idle connection inside its own
 * REPEATABLE READ transaction, inside the caller's transaction within a
 * savepoint; either way the connection is left as it was found (the
 * settings the read needs, search_path, DateStyle and the like, are local
 * to it). One round trip per kind of object (twelve), three or four to
 * open and close the read, two more when o->data.
 *
 * Returns MIGC_OK, or fills err (first error wins) and leaves *out NULL:
 * MIGC_ERR_ARG (NULL conn or out, a connection in a failed transaction or
 * busy), MIGC_ERR_CONNECT (not open, or lost on the way), MIGC_ERR_QUERY
 * (a catalog or data query failed: the server's message and SQLSTATE),
 * MIGC_ERR_NOMEM. The message starts "reading the schema". */
enum migc_code schema_read(struct pg_conn *conn,
                           const struct schema_read_options *o,
                           struct schema_snapshot **out,
                           struct migc_error *err);

/* Told one difference: text is one line (no newline, control characters
 * escaped), valid during the call only. */
typedef void schema_line_fn(void *ctx, const char *text);

/* Compare a with b and call line(ctx, text) once per difference, in a fixed
 * order: by kind of object in dependency order (schemas, extensions, types,
 * functions, sequences, tables, views, materialized views, indexes), then
 * qualified name, then part. Lines read
 *   "table public.orders: column total: numeric(10,2) vs numeric"
 *   "table public.orders: only in the originals"
 *   "table public.orders: comment: 'Orders.' vs none"
 *   "function public.f(integer): line 4: '    RETURN 1;' vs '    RETURN 2;'"
 * the a side first; a_label and b_label name the sides in "only in".
 * Returns the number of differences: 0 when the schemas are equal. Out of
 * memory is itself reported as a difference (so never "equal"). line may be
 * NULL (count only). */
size_t schema_diff(const struct schema_snapshot *a,
                   const struct schema_snapshot *b, const char *a_label,
                   const char *b_label, schema_line_fn *line, void *ctx);

/* Free a snapshot; NULL is a no-op. */
void schema_free(struct schema_snapshot *s);

#endif
