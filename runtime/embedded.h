/* embedded.h: a private PostgreSQL cluster run for one command's length
 * (libmigc_cli: the fork, exec and setuid a plain service never links). */
#ifndef MIGC_RUNTIME_EMBEDDED_H
#define MIGC_RUNTIME_EMBEDDED_H

#include "migc.h"

struct embedded_pg;

/* Initialise (first use only) and start a cluster whose files live under dir
 * (created if absent, mode 0700). On success *out holds a running server; on
 * failure err is filled (code MIGC_ERR_EMBEDDED; MIGC_ERR_ARG for a NULL or
 * empty dir or NULL out, MIGC_ERR_NOMEM) and nothing is left running.
 *
 * As root the server runs as user postgres. When that user cannot work in
 * dir (a folder in root's 0700 home, say), the files live instead in a
 * private folder of postgres's (mode 0700) under /var/lib/migc
 * ($MIGC_EMBEDDED_HOME), named after dir's absolute path, and dir/cluster
 * links to it. Only folders this call creates change owner. */
enum migc_code embedded_start(const char *dir, struct embedded_pg **out,
                              struct migc_error *err);

/* libpq conninfo string for the running server, e.g. "host=/tmp/migc-pg.XXXXXX
 * port=5432 user=migc dbname=postgres". Owned by pg. */
const char *embedded_conninfo(const struct embedded_pg *pg);

/* The folder under /var/lib/migc holding the cluster instead of dir, or
 * NULL when the cluster lives in dir. Owned by pg. */
const char *embedded_kept_dir(const struct embedded_pg *pg);

/* The pid of a server an earlier, killed command left running on this
 * cluster, which embedded_start stopped before starting its own; 0 when
 * there was none. */
long embedded_orphan_stopped(const struct embedded_pg *pg);

/* Stop the server (fast shutdown), remove the socket folder, free pg. NULL is
 * a no-op. Returns MIGC_OK or fills err. */
enum migc_code embedded_stop(struct embedded_pg *pg, struct migc_error *err);

#endif
