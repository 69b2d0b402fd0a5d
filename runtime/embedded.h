/* embedded.h: a private PostgreSQL cluster run for one command's length. */
#ifndef MIGC_RUNTIME_EMBEDDED_H
#define MIGC_RUNTIME_EMBEDDED_H

#include "migc.h"

struct embedded_pg;

/* Initialise (first use only) and start a cluster whose files live under dir
 * (created if absent, mode 0700). On success *out holds a running server; on
 * failure err is filled (code MIGC_ERR_EMBEDDED; MIGC_ERR_ARG for a NULL or
 * empty dir or NULL out, MIGC_ERR_NOMEM) and nothing is left running. */
enum migc_code embedded_start(const char *dir, struct embedded_pg **out,
                              struct migc_error *err);

/* libpq conninfo string for the running server, e.g. "host=/tmp/migc-pg.XXXXXX
 * port=5432 user=migc dbname=postgres". Owned by pg. */
const char *embedded_conninfo(const struct embedded_pg *pg);

/* Stop the server (fast shutdown), remove the socket folder, free pg. NULL is
 * a no-op. Returns MIGC_OK or fills err. */
enum migc_code embedded_stop(struct embedded_pg *pg, struct migc_error *err);

#endif
