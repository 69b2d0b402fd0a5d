/* scratch.h: throwaway databases to replay a chain on (squash, verify): a
 * private cluster of the machine's PostgreSQL binaries, or databases
 * created and dropped on a server the user names. The generator's only
 * libpq user besides the runtime library it links. */
#ifndef MIGC_GEN_SCRATCH_H
#define MIGC_GEN_SCRATCH_H

#include <stddef.h>

#include "diag.h"

struct pg_conn;
struct scratch;

/* Where to replay. url NULL: a private cluster (runtime/embedded.h) in a
 * new temporary folder, the binaries found as the embedded default finds
 * them ($MIGC_PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/N/bin);
 * none there is reported naming what was looked for and "or pass
 * --database URL". url given: a connection to it is tried at once.
 * pg_dump is looked for the same way (then on PATH). Returns 0 with *out
 * set, or -1 after reporting [squash] (nothing is left running or on
 * disk). */
int scratch_open(const char *url, struct scratch **out, struct diags *d);

/* A new empty database, migc_scratch_<pid>_<n>, and a connection to it
 * (owned by s: closed and the database dropped by scratch_close). *name
 * gets the database's name (owned by s). Returns 0, or -1 after reporting
 * [squash]. */
int scratch_db(struct scratch *s, struct pg_conn **conn, const char **name,
               struct diags *d);

/* pg_dump ARGS... on database name (one of scratch_db's): its standard
 * output as a NUL-terminated string the caller frees, or NULL after
 * reporting [squash] with pg_dump's messages. args ends with NULL. */
char *scratch_dump(struct scratch *s, const char *name,
                   const char *const *args, struct diags *d);

/* One statement on conn; its result's rows, tab-separated fields, one row
 * a line ("" for no row), as a string the caller frees; NULL after
 * reporting [squash] with the server's message. */
char *scratch_query(struct pg_conn *conn, const char *sql, struct diags *d);

/* Drop every database scratch_db made, stop and remove the private
 * cluster. NULL is a no-op. Returns 0, or -1 after reporting what was
 * left behind (d may be NULL: nothing reported). */
int scratch_close(struct scratch *s, struct diags *d);

#endif
