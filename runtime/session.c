/* session.c: one run of the runtime on a caller's connection. */
#define _POSIX_C_SOURCE 200809L /* gethostname */
#include "session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fnv1a.h"
#include "sql.h"

static const struct migc_options no_options = MIGC_OPTIONS_INIT;

/* Append ident quoted; on libpq's refusal err says why. */
static int quote(struct pg_conn *pg, const char *ident, struct sql *out,
                 struct migc_error *err)
{
    if (pq_quote(pg, ident, out) == 0)
        return 0;
    migc_error_set(err, MIGC_ERR_ARG, "cannot quote ledger name \"%s\": %s",
                   ident, pq_conn_message(pg));
    return -1;
}

/* PostgreSQL keeps NAMEDATALEN - 1 bytes of a name and silently cuts the
 * rest: a longer ledger name would name another table than asked, and at
 * 63 bytes the pack ledger (the name + "_packs") would become the ledger
 * itself. Such names are refused instead. */
#define NAME_MAX_BYTES 63
#define PACKS_SUFFIX "_packs"

/* The three quoted names: schema, schema.table, schema.table_packs. A
 * name libpq refuses leaves them unset, like memory running out. */
static enum migc_code quote_names(struct session *s, const char *schema,
                                  const char *table, struct migc_error *err)
{
    struct sql qs = SQL_INIT, qt = SQL_INIT, qp = SQL_INIT, packs = SQL_INIT;
    sql_addf(&packs, "%s" PACKS_SUFFIX, table);
    int quoted = quote(s->db.pg, schema, &qs, err) == 0 &&
                 quote(s->db.pg, table, &qt, err) == 0 && !packs.nomem &&
                 quote(s->db.pg, sql_text(&packs), &qp, err) == 0 &&
                 !qs.nomem && !qt.nomem && !qp.nomem;
    if (quoted) {
        struct sql t = SQL_INIT, p = SQL_INIT;
        sql_addf(&t, "%s.%s", sql_text(&qs), sql_text(&qt));
        sql_addf(&p, "%s.%s", sql_text(&qs), sql_text(&qp));
        s->table = sql_take(&t);
        s->packs_table = sql_take(&p);
        s->schema_quoted = sql_take(&qs);
    }
    sql_free(&qs);
    sql_free(&qt);
    sql_free(&qp);
    sql_free(&packs);
    if (!s->table || !s->packs_table || !s->schema_quoted)
        return migc_error_set(err, MIGC_ERR_NOMEM, "out of memory");
    return MIGC_OK;
}

static enum migc_code check_names(const char *schema, const char *table,
                                  struct migc_error *err)
{
    size_t room = NAME_MAX_BYTES - strlen(PACKS_SUFFIX);
    if (strlen(schema) > NAME_MAX_BYTES)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "the ledger schema name is %zu bytes; "
                              "PostgreSQL keeps %d of a name and would cut "
                              "it short",
                              strlen(schema), NAME_MAX_BYTES);
    if (strlen(table) > room)
        return migc_error_set(err, MIGC_ERR_ARG,
                              "the ledger table name is %zu bytes; with the "
                              "pack ledger's suffix %s it must fit the %d "
                              "bytes PostgreSQL keeps of a name (at most %zu)",
                              strlen(table), PACKS_SUFFIX, NAME_MAX_BYTES,
                              room);
    return MIGC_OK;
}

enum migc_code session_begin(struct session *s, struct pg_conn *conn,
                             const struct migc_options *opts,
                             struct migc_error *err)
{
    *s = (struct session){.db = {.pg = conn},
                          .opts = opts ? opts : &no_options};
    const char *schema = s->opts->ledger_schema && *s->opts->ledger_schema
                             ? s->opts->ledger_schema
                             : "public";
    const char *table = s->opts->ledger_table && *s->opts->ledger_table
                            ? s->opts->ledger_table
                            : "migc_migrations";
    if (!pq_conn_ok(conn))
        return migc_error_set(err, MIGC_ERR_CONNECT,
                              "connection is not open: %s",
                              conn ? pq_conn_message(conn) : "no connection");
    enum migc_code rc = check_names(schema, table, err);
    if (rc != MIGC_OK)
        return rc;
    rc = quote_names(s, schema, table, err);
    if (rc != MIGC_OK) {
        session_end(s);
        return rc;
    }
    s->schema_is_public = strcmp(schema, "public") == 0;
    /* The same in every process and on every host. */
    s->lock_key = (int64_t)migc_fnv1a(s->table);
    char host[64] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "localhost");
    /* The nonce tells two runs of one process apart. */
    snprintf(s->holder, sizeof s->holder, "%s:%ld:%08lx", host,
             (long)getpid(), (unsigned long)(pq_now_ms() ^ (uintptr_t)s));
    return MIGC_OK;
}

enum migc_code session_args_in(struct session_args *a,
                               const struct migc_options *options,
                               const struct migc_report *report,
                               struct migc_error *error)
{
    *a = (struct session_args){.options = MIGC_OPTIONS_INIT,
                               .report = MIGC_REPORT_INIT};
    a->err = error ? &a->error : NULL;
    if (migc_error_in(&a->error, error) != MIGC_OK) {
        a->err = NULL; /* size 0: nowhere to say why */
        return MIGC_ERR_ARG;
    }
    if (options && options->size == 0)
        return migc_error_set(a->err, MIGC_ERR_ARG,
                              "options->size is 0: initialise struct "
                              "migc_options with MIGC_OPTIONS_INIT or "
                              "MIGC_OPTIONS(...)");
    if (report && report->size == 0)
        return migc_error_set(a->err, MIGC_ERR_ARG,
                              "report->size is 0: initialise struct "
                              "migc_report with MIGC_REPORT_INIT");
    /* Fields an older caller does not know stay 0: their defaults. */
    if (options)
        memcpy(&a->options, options,
               options->size < sizeof a->options ? options->size
                                                 : sizeof a->options);
    a->options.size = sizeof a->options;
    return MIGC_OK;
}

void session_args_out(struct session_args *a, struct migc_report *report,
                      struct migc_error *error)
{
    if (report && report->size != 0) {
        size_t size = report->size;
        memcpy(report, &a->report,
               size < sizeof a->report ? size : sizeof a->report);
        report->size = size;
    }
    if (a->err)
        migc_error_out(error, &a->error);
}

void session_end(struct session *s)
{
    free(s->table);
    free(s->packs_table);
    free(s->schema_quoted);
    s->table = s->packs_table = s->schema_quoted = NULL;
    if (s->side)
        migc_disconnect(s->side);
    s->side = NULL;
}

void session_emit(const struct session *s, enum migc_event_kind kind,
                  const struct migc_migration *m, const struct migc_pack *pk,
                  int64_t duration_us, size_t index, size_t total)
{
    if (!s->opts->on_event)
        return;
    struct migc_event e = {.size = sizeof e,
                           .kind = kind,
                           .migration = m,
                           .duration_us = duration_us,
                           .pack = pk,
                           .index = index,
                           .total = total};
    s->opts->on_event(&e, s->opts->event_ctx);
}

void session_log(struct session *s, enum migc_log_level level,
                 const char *fmt, ...)
{
    if (!s->opts->log)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    s->opts->log(level, line, s->opts->log_ctx);
}
