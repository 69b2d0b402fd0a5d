/* template.c: migc_create_database(), migc_drop_database() and
 * migc_template_name(): fresh databases for test suites, copied from a
 * template database that holds the schema, built once per schema
 * (docs/templates.md).
 *
 * The build is serialised by a session-scoped advisory lock on the
 * maintenance connection, not a transaction-scoped one: CREATE DATABASE
 * cannot run in a transaction block, and the lock must cover the CREATE,
 * the migrations on the template's own connection and the final marks.
 * A session lock also ends with the process: a builder killed half-way
 * releases it, and the next caller finds an unmarked template to rebuild.
 * Advisory locks live in one database: every caller names the same
 * maintenance database (a second CREATE of the template still fails
 * cleanly with 42P04 if they do not, and is retried). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fnv1a.h"
#include "plan.h"
#include "pq.h"
#include "session.h"
#include "sql.h"

#define NAME_MAX_BYTES 63
#define TPL_PREFIX "migc_tpl_"
#define MARKER "migc template "
#define KEY_HEX 16
/* the schema's name in a template's name: 63 - "migc_tpl_" - "_" - key */
#define TPL_STEM_MAX (NAME_MAX_BYTES - 9 - 1 - KEY_HEX)

/* SQLSTATEs the loops act on. */
#define SQLSTATE_IN_USE "55006"       /* object_in_use */
#define SQLSTATE_LOCK "55P03"         /* lock_not_available */
#define SQLSTATE_NO_DB "3D000"        /* the template vanished */
#define SQLSTATE_DUPLICATE "42P04"    /* duplicate_database */

enum tpl_state { TPL_ABSENT, TPL_READY, TPL_HALF, TPL_FOREIGN };

struct tpl {
    struct conn db; /* the maintenance connection */
    const char *conninfo;
    const struct migc_schema *schema;
    const struct migc_options *opts;
    char name[NAME_MAX_BYTES + 1];
    char key[KEY_HEX + 1];
    char marker[400];   /* "migc template NAME KEY FINGERPRINT" */
    char comment[400];  /* the template's comment as last read */
    char lock_key[24];  /* decimal: the advisory lock of the schema name */
    int64_t deadline;   /* waiting ends here (lock_wait_ms); -1: never */
    int64_t waited_ms;
    int told_waiting;
};

static void tlog(const struct tpl *t, enum migc_log_level level,
                 const char *fmt, ...) MIGC_PRINTF(3, 4);

static void tlog(const struct tpl *t, enum migc_log_level level,
                 const char *fmt, ...)
{
    if (!t->opts->log)
        return;
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    t->opts->log(level, line, t->opts->log_ctx);
}

/* The schema's name goes into SQL text and a comment unquoted: it is a C
 * identifier (`migc compile --name`), and anything else is refused. */
static enum migc_code check_schema_name(const char *name,
                                        struct migc_error *err)
{
    if (!name || !*name)
        return migc_error_set(err, MIGC_ERR_ARG, "the schema has no name");
    if (strlen(name) > 200) /* the marker holds it whole */
        return migc_error_set(err, MIGC_ERR_ARG,
                              "the schema's name is %zu bytes; a template's "
                              "schema name has at most 200",
                              strlen(name));
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return migc_error_set(err, MIGC_ERR_ARG,
                                  "the schema's name \"%s\" is not a C "
                                  "identifier",
                                  name);
    return MIGC_OK;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    s = s ? s : "";
    return migc_fnv1a_bytes(h, s, strlen(s) + 1); /* the NUL separates */
}

/* Name, key, marker and lock key of schema's template. */
static enum migc_code tpl_names(struct tpl *t, const struct migc_schema *schema,
                                const struct migc_options *opts,
                                struct migc_error *err)
{
    enum migc_code rc = plan_validate(schema, err);
    if (rc == MIGC_OK)
        rc = check_schema_name(schema->name, err);
    if (rc != MIGC_OK)
        return rc;
    /* Everything a template's content depends on: the migrations (the
     * fingerprint), the packs (not in it) and where the ledger is; and the
     * schema's name, which the marker holds: two names cut or lowered to
     * the same stem never share a template. */
    uint64_t h = hash_str(MIGC_FNV1A_OFFSET, schema->fingerprint);
    h = hash_str(h, schema->name);
    for (size_t i = 0; i < schema->n_packs; i++) {
        h = hash_str(h, schema->packs[i].name);
        h = hash_str(h, schema->packs[i].checksum);
    }
    const char *ls = opts && opts->ledger_schema && *opts->ledger_schema
                         ? opts->ledger_schema
                         : "public";
    const char *lt = opts && opts->ledger_table && *opts->ledger_table
                         ? opts->ledger_table
                         : "migc_migrations";
    h = hash_str(hash_str(h, ls), lt);
    snprintf(t->key, sizeof t->key, "%016llx", (unsigned long long)h);
    char stem[TPL_STEM_MAX + 1];
    size_t n = strlen(schema->name);
    n = n > TPL_STEM_MAX ? TPL_STEM_MAX : n;
    for (size_t i = 0; i < n; i++) {
        char ch = schema->name[i];
        stem[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
    }
    stem[n] = '\0';
    snprintf(t->name, sizeof t->name, TPL_PREFIX "%s_%s", stem, t->key);
    /* The marker is an SQL literal: the fingerprint goes in only as the
     * hex digits it should be. */
    const char *fp = schema->fingerprint && *schema->fingerprint
                         ? schema->fingerprint
                         : "-";
    if (strspn(fp, "0123456789abcdef") != strlen(fp) ||
        strlen(fp) > 128)
        fp = "-";
    snprintf(t->marker, sizeof t->marker, MARKER "%s %s %s", schema->name,
             t->key, fp);
    /* One lock per schema name: a build and the removal of that name's
     * stale templates never overlap. */
    snprintf(t->lock_key, sizeof t->lock_key, "%lld",
             (long long)(int64_t)migc_fnv1a_bytes(
                 hash_str(MIGC_FNV1A_OFFSET, "migc template"), schema->name,
                 strlen(schema->name)));
    return MIGC_OK;
}

enum migc_code migc_template_name(const struct migc_schema *schema,
                                  const struct migc_options *options,
                                  char *buf, size_t size,
                                  struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, NULL, error);
    struct tpl t = {.opts = &a.options};
    if (rc == MIGC_OK && (!buf || size < NAME_MAX_BYTES + 1))
        rc = migc_error_set(a.err, MIGC_ERR_ARG,
                            "migc_template_name() needs a buffer of at "
                            "least %d bytes",
                            NAME_MAX_BYTES + 1);
    if (rc == MIGC_OK)
        rc = tpl_names(&t, schema, &a.options, a.err);
    if (rc == MIGC_OK)
        snprintf(buf, size, "%s", t.name);
    session_args_out(&a, NULL, error);
    return rc;
}

/* ---- Round trips ---------------------------------------------------------- */

/* One statement; the server's SQLSTATE in state ("" on success). Errors
 * are filled into err only when fatal is set: the loops decide. */
static enum migc_code exec1(struct tpl *t, const char *sql, int n,
                            const char *const *params, const char *what,
                            char state[6], struct migc_error *err)
{
    struct pg_result *r = pq_exec(&t->db, sql, n, params);
    enum migc_code rc = MIGC_OK;
    snprintf(state, 6, "%s", r ? pq_sqlstate(r) : "");
    if (!r || !pq_ok(r))
        rc = pq_error(err, MIGC_ERR_QUERY, r, &t->db, what);
    pq_clear(r);
    return rc;
}

/* SQL of one statement about a database: fmt with the quoted name for %s
 * (the only conversion in fmt). NULL when out of memory. */
static char *db_sql(struct tpl *t, const char *fmt, const char *db,
                    struct migc_error *err)
{
    struct sql q = SQL_INIT;
    if (pq_quote(t->db.pg, db, &q) != 0 || q.nomem) {
        migc_error_set(err, MIGC_ERR_ARG, "cannot quote \"%s\": %s", db,
                       pq_conn_message(t->db.pg));
        sql_free(&q);
        return NULL;
    }
    struct sql s = SQL_INIT;
    sql_addf(&s, fmt, sql_text(&q));
    sql_free(&q);
    char *text = sql_take(&s);
    if (!text)
        migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    return text;
}

/* A statement about database db (quoted into fmt); the SQLSTATE in state,
 * the error in err. */
static enum migc_code db_exec(struct tpl *t, const char *fmt, const char *db,
                              const char *what, char state[6],
                              struct migc_error *err)
{
    state[0] = '\0';
    char *sql = db_sql(t, fmt, db, err);
    if (!sql)
        return err ? err->code : MIGC_ERR_NOMEM;
    enum migc_code rc = exec1(t, sql, 0, NULL, what, state, err);
    free(sql);
    return rc;
}

/* The template's state as the catalog says now. */
static enum migc_code read_state(struct tpl *t, enum tpl_state *st,
                                 int locked, struct migc_error *err)
{
    const char *params[] = {t->name};
    struct pg_result *r =
        pq_exec(&t->db,
                "SELECT datistemplate, coalesce(shobj_description(oid, "
                "'pg_database'), '') FROM pg_database WHERE datname = $1",
                1, params);
    if (!r || !pq_has_rows(r)) {
        enum migc_code rc = pq_error(err, MIGC_ERR_QUERY, r, &t->db,
                                     "reading the template's state");
        pq_clear(r);
        return rc;
    }
    *st = TPL_ABSENT;
    if (pq_rows(r) == 1) {
        snprintf(t->comment, sizeof t->comment, "%s", pq_value(r, 0, 1));
        *st = strcmp(t->comment, t->marker) != 0 ? TPL_FOREIGN
              : strcmp(pq_value(r, 0, 0), "t") == 0 ? TPL_READY
                                                    : TPL_HALF;
    }
    pq_clear(r);
    /* Without the build lock, a database of the template's name without
     * the marker may be a build between its CREATE DATABASE and its
     * COMMENT: only the lock's holder can tell it is not migc's. */
    if (*st == TPL_FOREIGN && locked)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "database %s exists and is not the template "
                              "migc made for schema %s (its comment: \"%s\"): "
                              "migc leaves it alone; drop or rename it",
                              t->name, t->schema->name, t->comment);
    return MIGC_OK;
}

/* Waiting: time left before the deadline, told once. 0 when it passed. */
static int wait_turn(struct tpl *t, int64_t *pause, const char *why)
{
    int64_t now = pq_now_ms();
    if (t->deadline >= 0 && now >= t->deadline)
        return 0;
    if (!t->told_waiting) {
        t->told_waiting = 1;
        tlog(t, MIGC_LOG_INFO, "waiting: %s", why);
    }
    int64_t nap = *pause;
    if (t->deadline >= 0 && nap > t->deadline - now)
        nap = t->deadline - now;
    pq_sleep_ms(nap);
    t->waited_ms += nap;
    *pause = *pause * 2 > 500 ? 500 : *pause * 2;
    return 1;
}

/* The build lock of the schema name, waited for up to the deadline. */
static enum migc_code lock_build(struct tpl *t, struct migc_error *err)
{
    const char *params[] = {t->lock_key};
    int64_t pause = 20;
    char why[200];
    snprintf(why, sizeof why, "another process is building template %s",
             t->name);
    for (;;) {
        struct pg_result *r = pq_exec(
            &t->db, "SELECT pg_try_advisory_lock($1::bigint)", 1, params);
        if (!r || !pq_has_rows(r) || pq_rows(r) != 1) {
            enum migc_code rc = pq_error(err, MIGC_ERR_QUERY, r, &t->db,
                                         "taking the template build lock");
            pq_clear(r);
            return rc;
        }
        int got = strcmp(pq_value(r, 0, 0), "t") == 0;
        pq_clear(r);
        if (got)
            return MIGC_OK;
        if (!wait_turn(t, &pause, why))
            return migc_error_set(err, MIGC_ERR_LOCK_TIMEOUT,
                                  "timed out waiting for another process "
                                  "building template %s",
                                  t->name);
    }
}

static void unlock_build(struct tpl *t)
{
    const char *params[] = {t->lock_key};
    pq_clear(pq_exec(&t->db, "SELECT pg_advisory_unlock($1::bigint)", 1,
                     params));
}

/* ---- Building --------------------------------------------------------- */

/* Drop a template migc made: unmarked first (a template cannot be
 * dropped). One being copied (the DROP waits for the copy's lock, and
 * gives up after lock_timeout) or used is left, its mark restored. */
static void drop_template(struct tpl *t, const char *db, int marked,
                          int force)
{
    char state[6];
    struct migc_error e = MIGC_ERROR_INIT;
    const char *drop = force && pq_server_version(t->db.pg) >= 130000
                           ? "DROP DATABASE %s WITH (FORCE)"
                           : "DROP DATABASE %s";
    int unmarked = marked && db_exec(t, "ALTER DATABASE %s IS_TEMPLATE false",
                                     db, "unmarking a template", state,
                                     &e) == MIGC_OK;
    if (!migc_error_isset(&e) &&
        db_exec(t, drop, db, "dropping a template", state, &e) == MIGC_OK) {
        tlog(t, MIGC_LOG_INFO, "dropped template %s", db);
        return;
    }
    struct migc_error again = MIGC_ERROR_INIT;
    char ignored[6];
    if (unmarked)
        db_exec(t, "ALTER DATABASE %s IS_TEMPLATE true", db,
                "marking a template again", ignored, &again);
    if (strcmp(state, SQLSTATE_IN_USE) == 0 ||
        strcmp(state, SQLSTATE_LOCK) == 0)
        tlog(t, MIGC_LOG_INFO, "left template %s: in use right now", db);
    else
        tlog(t, MIGC_LOG_WARNING, "left template %s: %s", db, e.message);
}

/* The templates migc made for this schema name with another key. */
static void drop_stale(struct tpl *t)
{
    const char *params[] = {t->schema->name, t->key};
    struct pg_result *r = pq_exec(
        &t->db,
        "SELECT datname, datistemplate FROM (SELECT datname, "
        "datistemplate, coalesce(shobj_description(oid, 'pg_database'), "
        "'') AS c FROM pg_database) d WHERE left(c, 14) = 'migc template ' "
        "AND split_part(c, ' ', 3) = $1 AND split_part(c, ' ', 4) <> $2 "
        "ORDER BY datname",
        2, params);
    if (!r || !pq_has_rows(r)) {
        struct migc_error e = MIGC_ERROR_INIT;
        pq_error(&e, MIGC_ERR_QUERY, r, &t->db, "listing stale templates");
        tlog(t, MIGC_LOG_WARNING, "%s", e.message);
        pq_clear(r);
        return;
    }
    char state[6];
    /* A copy in progress holds a lock the DROP would wait for: wait a
     * little, then leave that template for a later build. */
    exec1(t, "SET lock_timeout = '500ms'", 0, NULL, "", state, NULL);
    /* An unmarked one is a build that died (this lock excludes a live
     * one): forced, as a half-built template of the current key is. */
    for (int i = 0; i < pq_rows(r); i++) {
        int marked = strcmp(pq_value(r, i, 1), "t") == 0;
        drop_template(t, pq_value(r, i, 0), marked, !marked);
    }
    exec1(t, "RESET lock_timeout", 0, NULL, "", state, NULL);
    pq_clear(r);
}

/* Create the template, apply the schema on its own connection, mark it
 * complete. A failure drops what was made. */
static enum migc_code build(struct tpl *t, struct migc_report *rep,
                            struct migc_error *err)
{
    char state[6];
    tlog(t, MIGC_LOG_INFO, "building template %s for schema %s", t->name,
         t->schema->name);
    enum migc_code rc = db_exec(t, "CREATE DATABASE %s", t->name,
                                "creating the template", state, err);
    if (rc != MIGC_OK)
        return rc;
    /* The marker first: a build that dies from here on leaves a template
     * recognisably migc's, unmarked, for the next caller to rebuild. */
    struct sql c = SQL_INIT;
    sql_addf(&c, "COMMENT ON DATABASE %%s IS '%s'", t->marker);
    rc = c.nomem ? migc_error_set(err, MIGC_ERR_NOMEM, "out of memory")
                 : db_exec(t, sql_text(&c), t->name,
                           "marking the template as migc's", state, err);
    sql_free(&c);
    struct pg_conn *conn = NULL;
    if (rc == MIGC_OK) {
        conn = pq_connect(t->conninfo, t->name, "migc (template)", err);
        rc = conn ? MIGC_OK : err ? err->code : MIGC_ERR_CONNECT;
        if (conn)
            pq_quiet(conn);
    }
    if (rc == MIGC_OK) {
        struct migc_options o = *t->opts;
        o.lock_wait_ms = -1; /* nobody else works on it: we hold the lock */
        rc = migc_migrate(conn, t->schema, &o, rep, err);
    }
    migc_disconnect(conn);
    if (rc == MIGC_OK)
        rc = db_exec(t,
                     "ALTER DATABASE %s WITH IS_TEMPLATE true "
                     "ALLOW_CONNECTIONS false",
                     t->name, "marking the template complete", state, err);
    if (rc != MIGC_OK) {
        drop_template(t, t->name, 0, 1);
        return rc;
    }
    tlog(t, MIGC_LOG_INFO,
         "built template %s (%zu migration%s applied, %zu pack%s "
         "synchronised)",
         t->name, rep->applied, rep->applied == 1 ? "" : "s",
         rep->packs_synced, rep->packs_synced == 1 ? "" : "s");
    return MIGC_OK;
}

/* Under the build lock: build the template unless another process did
 * meanwhile, dropping a half-built one first; then the stale ones. *retry:
 * another maintenance database's caller created it first. */
static enum migc_code ensure(struct tpl *t, struct migc_report *rep,
                             int *retry, struct migc_error *err)
{
    *retry = 0;
    enum migc_code rc = lock_build(t, err);
    if (rc != MIGC_OK)
        return rc;
    enum tpl_state st;
    rc = read_state(t, &st, 1, err);
    if (rc == MIGC_OK && st == TPL_HALF) {
        tlog(t, MIGC_LOG_INFO,
             "template %s was left half-built (a build that did not "
             "finish): building it again",
             t->name);
        drop_template(t, t->name, 0, 1);
        rc = read_state(t, &st, 1, err);
        if (rc == MIGC_OK && st != TPL_ABSENT)
            rc = migc_error_set(err, MIGC_ERR_QUERY,
                                "cannot drop the half-built template %s",
                                t->name);
    }
    if (rc == MIGC_OK && st == TPL_ABSENT) {
        struct migc_error e = MIGC_ERROR_INIT;
        rc = build(t, rep, &e);
        if (rc != MIGC_OK && strcmp(e.sqlstate, SQLSTATE_DUPLICATE) == 0) {
            *retry = 1;
            rc = MIGC_OK;
        } else if (rc != MIGC_OK && err && !migc_error_isset(err)) {
            *err = e;
        }
    }
    unlock_build(t);
    return rc;
}

/* After a copy: the stale templates of this schema name, when there are
 * any and no other process holds the build lock (then it sweeps them
 * itself). One round trip when there are none. */
static void sweep(struct tpl *t)
{
    const char *params[] = {t->schema->name, t->key, t->lock_key};
    struct pg_result *r = pq_exec(
        &t->db,
        "SELECT pg_try_advisory_lock($3::bigint) FROM pg_database WHERE "
        "left(coalesce(shobj_description(oid, 'pg_database'), ''), 14) = "
        "'migc template ' AND split_part(shobj_description(oid, "
        "'pg_database'), ' ', 3) = $1 AND split_part(shobj_description(oid, "
        "'pg_database'), ' ', 4) <> $2 LIMIT 1",
        3, params);
    int locked = r && pq_has_rows(r) && pq_rows(r) == 1 &&
                 strcmp(pq_value(r, 0, 0), "t") == 0;
    pq_clear(r);
    if (!locked)
        return;
    drop_stale(t);
    unlock_build(t);
}

/* CREATE DATABASE name TEMPLATE tpl, tried again while another session
 * holds the template. *gone: the template vanished (dropped as stale by a
 * newer schema's build, or by hand): the caller builds it again. */
static enum migc_code copy(struct tpl *t, const char *name, int *gone,
                           struct migc_error *err)
{
    char *quoted_tpl = db_sql(t, "%s", t->name, err);
    if (!quoted_tpl)
        return err ? err->code : MIGC_ERR_NOMEM;
    struct sql q = SQL_INIT;
    sql_addf(&q, "CREATE DATABASE %%s TEMPLATE %s", quoted_tpl);
    free(quoted_tpl);
    if (q.nomem)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    int64_t pause = 20;
    char why[200];
    snprintf(why, sizeof why, "another session is using template %s",
             t->name);
    enum migc_code rc;
    *gone = 0;
    for (;;) {
        struct migc_error e = MIGC_ERROR_INIT;
        char state[6];
        rc = db_exec(t, sql_text(&q), name, "creating the database", state,
                     &e);
        if (rc == MIGC_OK)
            break;
        if (strcmp(state, SQLSTATE_NO_DB) == 0) {
            *gone = 1;
            rc = MIGC_OK;
            break;
        }
        if (strcmp(state, SQLSTATE_IN_USE) != 0 || !wait_turn(t, &pause, why)) {
            if (err && !migc_error_isset(err))
                *err = e;
            break;
        }
    }
    sql_free(&q);
    return rc;
}

static enum migc_code check_db_name(const char *name, struct migc_error *err)
{
    if (!name || !*name)
        return migc_error_set(err, MIGC_ERR_ARG, "no database name given");
    if (strlen(name) > NAME_MAX_BYTES)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "database name \"%s\" is %zu bytes; PostgreSQL "
                              "keeps %d of a name and would cut it short",
                              name, strlen(name), NAME_MAX_BYTES);
    return MIGC_OK;
}

static enum migc_code create_database(struct tpl *t, const char *name,
                                      struct migc_report *rep,
                                      struct migc_error *err)
{
    enum migc_code rc = check_db_name(name, err);
    if (rc == MIGC_OK && t->opts->target_version != 0)
        rc = migc_error_set(err, MIGC_ERR_ARG,
                            "a template holds the whole schema: "
                            "target_version must be 0");
    if (rc == MIGC_OK)
        rc = tpl_names(t, t->schema, t->opts, err);
    if (rc != MIGC_OK)
        return rc;
    int64_t wait = t->opts->lock_wait_ms ? t->opts->lock_wait_ms : 600000;
    t->deadline = wait < 0 ? -1 : pq_now_ms() + wait;
    t->db.pg = pq_connect(t->conninfo, NULL, "migc (create-db)", err);
    if (!t->db.pg)
        return err ? err->code : MIGC_ERR_CONNECT;
    pq_quiet(t->db.pg);
    int64_t pause = 20;
    for (;;) {
        enum tpl_state st;
        int again = 0;
        rc = read_state(t, &st, 0, err);
        if (rc == MIGC_OK && st != TPL_READY)
            rc = ensure(t, rep, &again, err);
        if (rc == MIGC_OK && !again)
            rc = copy(t, name, &again, err);
        if (rc == MIGC_OK && !again)
            sweep(t);
        if (rc != MIGC_OK || !again)
            break;
        if (!wait_turn(t, &pause, "the template is being replaced")) {
            rc = migc_error_set(err, MIGC_ERR_LOCK_TIMEOUT,
                                "timed out: template %s kept vanishing",
                                t->name);
            break;
        }
    }
    migc_disconnect(t->db.pg);
    rep->waited_ms = t->waited_ms;
    return rc;
}

enum migc_code migc_create_database(const char *conninfo,
                                    const struct migc_schema *schema,
                                    const char *name,
                                    const struct migc_options *options,
                                    struct migc_report *report,
                                    struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, options, report, error);
    struct tpl t = {.conninfo = conninfo, .schema = schema, .opts = &a.options};
    if (rc == MIGC_OK)
        rc = create_database(&t, name, &a.report, a.err);
    session_args_out(&a, report, error);
    return rc;
}

/* ---- Dropping --------------------------------------------------------- */

static enum migc_code drop_database(struct tpl *t, const char *name,
                                    uint32_t flags, struct migc_error *err)
{
    enum migc_code rc = check_db_name(name, err);
    if (rc != MIGC_OK)
        return rc;
    t->db.pg = pq_connect(t->conninfo, NULL, "migc (drop-db)", err);
    if (!t->db.pg)
        return err ? err->code : MIGC_ERR_CONNECT;
    pq_quiet(t->db.pg);
    const char *params[] = {name};
    struct pg_result *r =
        pq_exec(&t->db,
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
                "FROM pg_database WHERE datname = $1",
                1, params);
    if (!r || !pq_has_rows(r))
        rc = pq_error(err, MIGC_ERR_QUERY, r, &t->db, "reading the database");
    else if (pq_rows(r) == 1 &&
             strncmp(pq_value(r, 0, 0), MARKER, strlen(MARKER)) == 0)
        rc = migc_error_set(
            err, MIGC_ERR_ARG,
            "database %s is a template migc made (\"%s\"): migc drops it "
            "when the schema changes; to drop it by hand: ALTER DATABASE "
            "%s IS_TEMPLATE false; DROP DATABASE %s",
            name, pq_value(r, 0, 0), name, name);
    pq_clear(r);
    int force = (flags & MIGC_DROP_FORCE) != 0;
    if (rc == MIGC_OK && force && pq_server_version(t->db.pg) < 130000)
        rc = migc_error_set(err, MIGC_ERR_ARG,
                            "dropping with force needs PostgreSQL 13 or "
                            "later");
    if (rc == MIGC_OK) {
        char state[6];
        char fmt[80];
        snprintf(fmt, sizeof fmt, "DROP DATABASE %s%%s%s",
                 (flags & MIGC_DROP_IF_EXISTS) ? "IF EXISTS " : "",
                 force ? " WITH (FORCE)" : "");
        rc = db_exec(t, fmt, name, "dropping the database", state, err);
    }
    migc_disconnect(t->db.pg);
    return rc;
}

enum migc_code migc_drop_database(const char *conninfo, const char *name,
                                  uint32_t flags, struct migc_error *error)
{
    struct session_args a;
    enum migc_code rc = session_args_in(&a, NULL, NULL, error);
    struct tpl t = {.conninfo = conninfo, .opts = &a.options};
    if (rc == MIGC_OK)
        rc = drop_database(&t, name, flags, a.err);
    session_args_out(&a, NULL, error);
    return rc;
}
