/* cli_fleet.c: up and status over a fleet (docs/fleets.md): the targets
 * from --fleet FILE, --fleet-query SQL or --fleet-schemas SQL, then at most
 * --jobs of them at once, each on a thread of its own with a connection of
 * its own, so that one target's failure stops only that target. */
#define _POSIX_C_SOURCE 200809L /* getline, clock_gettime */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "cli_fleet.h"

enum { DEFAULT_JOBS = 4 };

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- connection strings ---------------------------------------------- */

struct buf {
    char *s;
    size_t n, cap;
    int nomem;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->nomem)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *grown = realloc(b->s, cap);
        if (!grown) {
            b->nomem = 1;
            return;
        }
        b->s = grown;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* key='value', quotes and backslashes escaped as libpq reads them; for
 * people, key=value when nothing in it needs quoting. */
static void add_option(struct buf *b, const char *key, const char *value,
                       int plain_ok)
{
    if (b->n)
        buf_str(b, " ");
    buf_str(b, key);
    buf_str(b, "=");
    int plain = plain_ok && *value && !strpbrk(value, " '\\\t\n");
    if (!plain)
        buf_str(b, "'");
    for (const char *p = value; *p; p++) {
        if (!plain && (*p == '\'' || *p == '\\'))
            buf_str(b, "\\");
        buf_add(b, p, 1);
    }
    if (!plain)
        buf_str(b, "'");
}

/* The server option that sets search_path to schema alone: the name
 * double-quoted (as an identifier, so any name works), then spaces and
 * backslashes escaped as the options setting wants them. */
static void add_search_path(struct buf *b, const char *schema)
{
    buf_str(b, "-c search_path=");
    buf_str(b, "\"");
    for (const char *p = schema; *p; p++) {
        if (*p == '"')
            buf_str(b, "\"");
        if (*p == ' ' || *p == '\\')
            buf_str(b, "\\");
        buf_add(b, p, 1);
    }
    buf_str(b, "\"");
}

static int secret(const char *key)
{
    return strcmp(key, "password") == 0 || strcmp(key, "sslpassword") == 0;
}

/* For people, where the target is comes first; then the rest in libpq's
 * order. */
static const char *const first_shown[] = {"host", "hostaddr", "port",
                                          "dbname", "user"};
enum { N_FIRST = sizeof first_shown / sizeof *first_shown };

static int rank_shown(const char *key)
{
    for (int i = 0; i < N_FIRST; i++)
        if (strcmp(key, first_shown[i]) == 0)
            return i;
    return N_FIRST;
}

char *cli_conninfo_with(const char *base, const char *dbname,
                        const char *schema, char **shown, char *why,
                        size_t size)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(base ? base : "", &msg);
    if (shown)
        *shown = NULL;
    if (!opts) {
        snprintf(why, size, "%s", msg ? msg : "out of memory");
        for (char *p = why; *p; p++)
            if (*p == '\n')
                *p = p[1] ? ' ' : '\0';
        PQfreemem(msg);
        return NULL;
    }
    struct buf out = {0}, people = {0}, options = {0};
    const char *old_options = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "options") == 0 && o->val && *o->val)
            old_options = o->val;
    if (schema) { /* after the caller's own: the last -c wins */
        if (old_options) {
            buf_str(&options, old_options);
            buf_str(&options, " ");
        }
        add_search_path(&options, schema);
    }
    for (int rank = 0; rank <= N_FIRST; rank++)
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            const char *v = o->val;
            if (strcmp(o->keyword, "dbname") == 0 && dbname)
                v = dbname;
            if (strcmp(o->keyword, "options") == 0 && schema)
                v = options.s;
            if (!v || !*v || rank_shown(o->keyword) != rank)
                continue;
            add_option(&out, o->keyword, v, 0);
            if (!secret(o->keyword) && strcmp(o->keyword, "options") != 0)
                add_option(&people, o->keyword, v, 1);
        }
    /* dbname or options absent from the parsed list (never, with libpq's
     * list) would be dropped: add them when they were not set at all. */
    int has_db = 0, has_options = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        has_db |= strcmp(o->keyword, "dbname") == 0;
        has_options |= strcmp(o->keyword, "options") == 0;
    }
    if (dbname && !has_db) {
        add_option(&out, "dbname", dbname, 0);
        add_option(&people, "dbname", dbname, 1);
    }
    if (schema && !has_options)
        add_option(&out, "options", options.s, 0);
    if (schema)
        add_option(&people, "schema", schema, 1);
    PQconninfoFree(opts);
    free(options.s);
    if (!out.s && !out.nomem)
        buf_str(&out, ""); /* everything from libpq's environment */
    if (out.nomem || options.nomem || people.nomem) {
        free(out.s);
        free(people.s);
        snprintf(why, size, "out of memory");
        return NULL;
    }
    if (shown)
        *shown = people.s ? people.s : strdup("(libpq defaults)");
    else
        free(people.s);
    return out.s;
}

/* ---- the target list -------------------------------------------------- */

static int add_target(struct fleet *f, const char *base, const char *dbname,
                      const char *schema, char *why, size_t size)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct fleet_target *grown = realloc(f->t, cap * sizeof *grown);
        if (!grown) {
            snprintf(why, size, "out of memory");
            return -1;
        }
        f->t = grown;
        f->cap = cap;
    }
    struct fleet_target *t = &f->t[f->n];
    *t = (struct fleet_target){.err = MIGC_ERROR_INIT,
                               .before = -1,
                               .after = -1,
                               .c = f->c};
    t->conninfo = cli_conninfo_with(base, dbname, schema, &t->shown, why,
                                    size);
    t->schema = schema ? strdup(schema) : NULL;
    if (!t->conninfo || !t->shown || (schema && !t->schema)) {
        free(t->conninfo);
        free(t->shown);
        free(t->schema);
        if (t->conninfo)
            snprintf(why, size, "out of memory");
        return -1;
    }
    f->n++;
    return 0;
}

/* The file's lines: one connection string each; blank lines and lines
 * starting with # skipped; "-" is standard input. */
static int read_file(struct fleet *f, const char *path)
{
    struct cli *c = f->c;
    int std = strcmp(path, "-") == 0;
    const char *name = std ? "(standard input)" : path;
    FILE *in = std ? stdin : fopen(path, "r");
    if (!in) {
        fprintf(stderr, "%s: error: cannot read the fleet file %s: %s\n",
                c->prog, path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        char *s = line, *e = line + len;
        while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
                         e[-1] == '\t'))
            *--e = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            continue;
        char why[512];
        if (add_target(f, s, NULL, c->target_schema, why, sizeof why) != 0) {
            fprintf(stderr,
                    "%s: error: %s:%zu: not a connection string: %s\n",
                    c->prog, name, lineno, why);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(in)) {
        fprintf(stderr, "%s: error: cannot read the fleet file %s: %s\n",
                c->prog, name, strerror(errno));
        rc = -1;
    }
    free(line);
    if (!std)
        fclose(in);
    if (rc == 0 && f->n == 0) {
        fprintf(stderr, "%s: error: the fleet file %s lists no target\n",
                c->prog, name);
        rc = -1;
    }
    return rc;
}

/* --fleet-query (database names) or --fleet-schemas (schema names), run on
 * conninfo: each row's first column names one target. */
static int read_query(struct fleet *f, const char *conninfo)
{
    struct cli *c = f->c;
    int schemas = c->fleet_schemas != NULL;
    const char *opt = schemas ? "--fleet-schemas" : "--fleet-query";
    struct migc_error err = MIGC_ERROR_INIT;
    char app[96];
    snprintf(app, sizeof app, "%.80s (migc)", c->prog);
    struct pg_conn *conn = migc_connect(conninfo, app, &err);
    if (!conn) {
        cli_print_error(c, &err);
        return -1;
    }
    PGresult *res = PQexec(conn, schemas ? c->fleet_schemas : c->fleet_query);
    int rc = 0;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        char shown[1024];
        fprintf(stderr, "%s: error: %s failed: %s\n", c->prog, opt,
                cli_shown(PQresultErrorMessage(res)[0]
                              ? PQresultErrorMessage(res)
                              : PQerrorMessage(conn),
                          shown, sizeof shown));
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < PQntuples(res); i++) {
        const char *name = PQgetvalue(res, i, 0);
        char why[512];
        if (PQgetisnull(res, i, 0) || !*name) {
            fprintf(stderr, "%s: error: %s returned an empty name (row %d)\n",
                    c->prog, opt, i + 1);
            rc = -1;
        } else if (add_target(f, conninfo, schemas ? NULL : name,
                              schemas ? name : c->target_schema, why,
                              sizeof why) != 0) {
            fprintf(stderr, "%s: error: %s\n", c->prog, why);
            rc = -1;
        }
    }
    if (rc == 0 && f->n == 0) {
        fprintf(stderr, "%s: error: %s returned no %s\n", c->prog, opt,
                schemas ? "schema" : "database");
        rc = -1;
    }
    PQclear(res);
    migc_disconnect(conn); /* before any target's connection opens */
    return rc;
}

/* ---- one target ------------------------------------------------------- */

static void target_event(const struct migc_event *ev, void *ctx)
{
    struct fleet_target *t = ctx;
    if (ev->kind != MIGC_EVENT_APPLIED)
        return;
    if (t->n_versions == t->cap_versions) {
        size_t cap = t->cap_versions ? t->cap_versions * 2 : 8;
        int64_t *grown = realloc(t->versions, cap * sizeof *grown);
        if (!grown)
            return; /* before is then reported higher; the run goes on */
        t->versions = grown;
        t->cap_versions = cap;
    }
    t->versions[t->n_versions++] = ev->migration->version;
}

/* Log lines name their target; one fprintf each, whole lines. */
static void target_log(enum migc_log_level level, const char *message,
                       void *ctx)
{
    const struct fleet_target *t = ctx;
    char shown[1024];
    fprintf(stderr, "%s: %s: %s%s\n", t->c->prog,
            cli_shown(t->shown, shown, sizeof shown),
            level == MIGC_LOG_WARNING ? "warning: " : "", message);
}

static int applied_now(const struct fleet_target *t, int64_t v)
{
    for (size_t i = 0; i < t->n_versions; i++)
        if (t->versions[i] == v)
            return 1;
    return 0;
}

static int counts_as_applied(enum migc_state s)
{
    return s == MIGC_STATE_APPLIED || s == MIGC_STATE_REFORMATTED ||
           s == MIGC_STATE_MODIFIED || s == MIGC_STATE_SQUASHED ||
           s == MIGC_STATE_MISSING || s == MIGC_STATE_AHEAD;
}

/* From a status: the newest applied version now (after), and before this
 * run (what it applied left out); 0 when none. */
static void versions_of(struct fleet_target *t, const struct migc_status *st)
{
    t->before = t->after = 0;
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        if (!counts_as_applied(e->state))
            continue;
        if (e->version > t->after)
            t->after = e->version;
        if (e->version > t->before && !applied_now(t, e->version))
            t->before = e->version;
    }
}

/* What status says disagrees, as "1 failed, 2 modified". */
static void drift_of(struct fleet_target *t, const struct migc_status *st)
{
    static const enum migc_state bad[] = {
        MIGC_STATE_FAILED,  MIGC_STATE_RUNNING,   MIGC_STATE_REVERTING,
        MIGC_STATE_MODIFIED, MIGC_STATE_MISSING,  MIGC_STATE_PARTIAL,
        MIGC_STATE_AHEAD};
    size_t n = 0;
    t->drift[0] = '\0';
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++) {
        size_t count = 0;
        for (size_t i = 0; i < st->n_entries; i++)
            count += migc_status_entry_at(st, i)->state == bad[b];
        if (count)
            n += (size_t)snprintf(t->drift + n, sizeof t->drift - n,
                                  "%s%zu %s", n ? ", " : "", count,
                                  migc_state_name(bad[b]));
        if (n >= sizeof t->drift)
            break;
    }
}

static void options_for(struct fleet_target *t, struct migc_options *o)
{
    *o = t->c->opts;
    o->on_event = target_event;
    o->event_ctx = t;
    o->log = target_log;
    o->log_ctx = t;
    if (t->schema)
        o->ledger_schema = t->schema;
}

static void up_target(struct fleet_target *t, struct pg_conn *conn)
{
    const struct cli *c = t->c;
    struct migc_options o;
    options_for(t, &o);
    struct migc_report rep = MIGC_REPORT_INIT;
    enum migc_code rc = migc_migrate(conn, c->schema, &o, &rep, &t->err);
    t->applied = rep.applied;
    t->pending = rep.pending;
    t->outcome = rc != MIGC_OK ? FLEET_FAILED
                 : rep.applied || rep.packs_synced ? FLEET_APPLIED
                                                   : FLEET_UP_TO_DATE;
    size_t n = c->schema->n_migrations;
    if (t->outcome == FLEET_UP_TO_DATE && rep.ahead == 0 && n > 0 &&
        o.target_version == 0) {
        /* The one round trip said so: no second one to ask. */
        t->before = t->after = c->schema->migrations[n - 1].version;
        return;
    }
    struct migc_status *st = NULL;
    struct migc_error ignored = MIGC_ERROR_INIT;
    if (rc != MIGC_ERR_CONNECT &&
        migc_status(conn, c->schema, &o, &st, &ignored) == MIGC_OK) {
        versions_of(t, st);
        migc_status_free(st);
    }
}

static void status_target(struct fleet_target *t, struct pg_conn *conn)
{
    struct migc_options o;
    options_for(t, &o);
    struct migc_status *st = NULL;
    if (migc_status(conn, t->c->schema, &o, &st, &t->err) != MIGC_OK) {
        t->outcome = FLEET_FAILED;
        return;
    }
    versions_of(t, st);
    drift_of(t, st);
    t->pending = st->n_pending;
    t->outcome = t->drift[0]  ? FLEET_DRIFT
                 : t->pending ? FLEET_PENDING
                              : FLEET_UP_TO_DATE;
    migc_status_free(st);
}

static void run_target(struct fleet *f, struct fleet_target *t)
{
    int64_t start = now_us();
    char app[96];
    snprintf(app, sizeof app, "%.80s (migc)", f->c->prog);
    struct pg_conn *conn = migc_connect(t->conninfo, app, &t->err);
    cli_warnings_only(conn);
    if (!conn)
        t->outcome = FLEET_FAILED;
    else if (f->status)
        status_target(t, conn);
    else
        up_target(t, conn);
    migc_disconnect(conn);
    t->duration_us = now_us() - start;
}

static void *worker(void *arg)
{
    struct fleet *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        size_t i = f->next < f->n ? f->next++ : f->n;
        pthread_mutex_unlock(&f->mu);
        if (i == f->n)
            return NULL;
        run_target(f, &f->t[i]);
        pthread_mutex_lock(&f->mu);
        fleet_report_target(f, &f->t[i]);
        pthread_mutex_unlock(&f->mu);
    }
}

/* ---- the fleet -------------------------------------------------------- */

static void run_all(struct fleet *f)
{
    size_t want = f->jobs < f->n ? f->jobs : f->n, started = 0;
    pthread_t *threads = calloc(want, sizeof *threads);
    int64_t start = now_us();
    for (; threads && started < want; started++)
        if (pthread_create(&threads[started], NULL, worker, f) != 0)
            break; /* fewer workers: the ones running take it all */
    if (started == 0)
        worker(f); /* no thread at all: this one does the work */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    free(threads);
    f->duration_us = now_us() - start;
}

int cli_fleet(struct cli *c, const char *conninfo)
{
    struct fleet f = {.c = c,
                      .jobs = c->jobs ? (size_t)c->jobs : DEFAULT_JOBS,
                      .status = strcmp(c->command, "status") == 0};
    int rc;
    if (!c->fleet_file && !conninfo) {
        fprintf(stderr,
                "%s: error: %s runs on a database: pass --database URL or "
                "set DATABASE_URL (or libpq's PGHOST and friends)\n",
                c->prog, c->fleet_query ? "--fleet-query" : "--fleet-schemas");
        return EXIT_USAGE;
    }
    if (pthread_mutex_init(&f.mu, NULL) != 0) {
        fprintf(stderr, "%s: error: cannot start the fleet's workers\n",
                c->prog);
        return EXIT_FAIL;
    }
    if ((c->fleet_file ? read_file(&f, c->fleet_file)
                       : read_query(&f, conninfo)) != 0) {
        rc = EXIT_FAIL; /* nothing ran */
    } else {
        run_all(&f);
        rc = fleet_report_end(&f);
    }
    for (size_t i = 0; i < f.n; i++) {
        free(f.t[i].conninfo);
        free(f.t[i].shown);
        free(f.t[i].schema);
        free(f.t[i].versions);
    }
    free(f.t);
    pthread_mutex_destroy(&f.mu);
    return rc;
}
