/* cli_report.c: what up, check, status and plan print: aligned text for
 * people, or one JSON document for programs (keys in docs/cli.md; add keys,
 * never rename or remove them). Errors always go to stderr as well. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *cli_shown(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : "");
         *p && n + 5 < size; p++) {
        if (*p < 0x20 || *p == 0x7f)
            n += (size_t)snprintf(buf + n, size - n, "\\x%02x", *p);
        else
            buf[n++] = (char)*p;
    }
    buf[n < size ? n : size - 1] = '\0';
    return buf;
}

/* ---- JSON ---------------------------------------------------------------- */

/* A JSON string: quotes, backslashes and control characters escaped; other
 * bytes as they are (names and messages are UTF-8). */
void cli_json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
         p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p == '\t')
            fputs("\\t", stdout);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* "key": "value" or "key": null for an empty value, after a comma when
 * not first. */
void cli_json_key_str(const char *key, const char *value, int first)
{
    printf("%s\"%s\": ", first ? "" : ", ", key);
    if (value && *value)
        cli_json_str(value);
    else
        fputs("null", stdout);
}

static const char *code_name(enum migc_code rc)
{
    switch (rc) {
#define CODE_NAME(name, value, text)                                          \
    case MIGC_##name:                                                         \
        return #name;
        MIGC_CODE_MAP(CODE_NAME)
#undef CODE_NAME
    }
    return "UNKNOWN";
}

/* "error": {...} or "error": null. */
static void json_error(const struct migc_error *e)
{
    fputs("\"error\": ", stdout);
    if (!e || e->code == MIGC_OK) {
        fputs("null", stdout);
        return;
    }
    printf("{\"code\": \"%s\"", code_name(e->code));
    cli_json_key_str("message", e->message, 0);
    cli_json_key_str("sqlstate", e->sqlstate, 0);
    cli_json_key_str("detail", e->detail, 0);
    cli_json_key_str("hint", e->hint, 0);
    if (e->version)
        printf(", \"version\": %" PRId64, e->version);
    else
        fputs(", \"version\": null", stdout);
    cli_json_key_str("path", e->path, 0);
    if (e->line)
        printf(", \"line\": %u, \"column\": %u}", (unsigned)e->line,
               (unsigned)e->column);
    else
        fputs(", \"line\": null, \"column\": null}", stdout);
}

static void json_schema(const struct cli *c)
{
    fputs("\"schema\": {", stdout);
    cli_json_key_str("name", c->schema->name, 1);
    cli_json_key_str("fingerprint", c->schema->fingerprint, 0);
    printf(", \"migrations\": %zu, \"packs\": %zu}", c->schema->n_migrations,
           c->schema->n_packs);
}

void cli_json_open(const struct cli *c)
{
    printf("{\"command\": \"%s\", ", c->command);
    json_schema(c);
    fputs(", ", stdout);
}

/* ---- errors -------------------------------------------------------------- */

void cli_print_error(const struct cli *c, const struct migc_error *e)
{
    char shown[sizeof e->message * 4];
    fprintf(stderr, "%s: error: %s\n", c->prog,
            cli_shown(e->message, shown, sizeof shown));
    if (e->detail[0])
        fprintf(stderr, "  DETAIL: %s\n", e->detail);
    if (e->hint[0])
        fprintf(stderr, "  HINT: %s\n", e->hint);
}

void cli_report_failure(const struct cli *c, const struct migc_error *e)
{
    if (c->format != CLI_JSON)
        return;
    cli_json_open(c);
    json_error(e);
    fputs("}\n", stdout);
}

/* ---- up and check -------------------------------------------------------- */

void cli_report_up(const struct cli *c, enum migc_code rc,
                   const struct migc_report *rep, const struct migc_error *e)
{
    if (c->format == CLI_JSON) {
        cli_json_open(c);
        printf("\"up_to_date\": %s, \"applied\": [",
               rc == MIGC_OK ? "true" : "false");
        for (size_t i = 0; i < c->n_applied; i++) {
            printf("%s{\"version\": %" PRId64 ", ", i ? ", " : "",
                   c->applied[i].version);
            cli_json_key_str("name", c->applied[i].name, 1);
            printf(", \"duration_us\": %" PRId64 "}",
                   c->applied[i].duration_us);
        }
        printf("], \"packs_synced\": %zu, \"round_trips\": %u, ",
               c->packs_synced, rc == MIGC_OK ? rep->round_trips : 0);
        json_error(e);
        fputs("}\n", stdout);
        return;
    }
    if (rc != MIGC_OK)
        return;
    size_t n = c->schema->n_migrations;
    if (c->to > 0 && rep->applied == 0 && rep->packs_synced == 0)
        printf("nothing to apply up to version %lld (--to; %u round "
               "trip%s)\n",
               (long long)c->to, rep->round_trips,
               rep->round_trips == 1 ? "" : "s");
    else if (c->to > 0) /* later migrations wait: not "up to date" */
        printf("applied %zu migration%s, up to version %lld (--to); any "
               "later ones wait\n",
               rep->applied, rep->applied == 1 ? "" : "s", (long long)c->to);
    else if (rep->applied == 0 && rep->packs_synced == 0)
        printf("database is up to date (%zu migration%s; %u round trip%s)\n",
               n, n == 1 ? "" : "s", rep->round_trips,
               rep->round_trips == 1 ? "" : "s");
    else
        printf("applied %zu migration%s; database is up to date\n",
               rep->applied, rep->applied == 1 ? "" : "s");
}

void cli_report_check(const struct cli *c, enum migc_code rc,
                      const struct migc_report *rep,
                      const struct migc_error *e)
{
    if (c->format == CLI_JSON) {
        const char *state = rc != MIGC_OK     ? "error"
                            : rep->pending    ? "pending"
                                              : "up_to_date";
        cli_json_open(c);
        printf("\"state\": \"%s\", \"pending\": %zu, \"ahead\": %zu, "
               "\"round_trips\": %u, ",
               state, rc == MIGC_OK ? rep->pending : 0,
               rc == MIGC_OK ? rep->ahead : 0,
               rc == MIGC_OK ? rep->round_trips : 0);
        json_error(e);
        fputs("}\n", stdout);
        return;
    }
    if (rc != MIGC_OK)
        return;
    if (rep->pending)
        printf("%zu pending\n", rep->pending);
    else
        printf("up to date\n");
}

/* ---- status -------------------------------------------------------------- */

static void text_detail(const struct migc_status_entry *e)
{
    if (e->state == MIGC_STATE_FAILED)
        printf("%20s  failed at statement %d: %s\n", "",
               e->failed_statement + 1, e->error);
    else if (e->state == MIGC_STATE_RUNNING && e->migration)
        printf("%20s  %d of %zu statements done\n", "", e->completed,
               e->migration->up.n_statements);
    else if (e->state == MIGC_STATE_REVERTING && e->migration &&
             e->migration->down)
        printf("%20s  down stopped after %d of %zu statements%s%s\n", "",
               e->completed, e->migration->down->n_statements,
               e->error[0] ? ": " : "", e->error);
    else if (e->state == MIGC_STATE_PARTIAL)
        printf("%20s  a baseline this database cannot cross: %s\n", "",
               e->error);
    else if (e->migration && e->error[0] &&
             (e->migration->flags & MIGC_MIGRATION_SQUASHES) &&
             (e->state == MIGC_STATE_PENDING ||
              e->state == MIGC_STATE_APPLIED ||
              e->state == MIGC_STATE_PART_WAY))
        printf("%20s  %s\n", "", e->error); /* how it is crossed */
    else if (e->state == MIGC_STATE_PENDING && e->completed > 0)
        printf("%20s  resolved: up resumes at statement %d\n", "",
               e->completed + 1);
    if (e->adopted_from[0])
        printf("%20s  adopted from %s's ledger\n", "", e->adopted_from);
}

static void text_status(const struct cli *c, const struct migc_status *st)
{
    printf("%-20s  %-11s  %-22s  %10s  %s\n", "VERSION", "STATE",
           "APPLIED AT", "DURATION", "NAME");
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        char duration[32] = "";
        if (e->applied_at[0])
            snprintf(duration, sizeof duration, "%.1f ms",
                     (double)e->duration_us / 1000.0);
        char shown[sizeof e->name * 4];
        printf("%-20" PRId64 "  %-11s  %-22s  %10s  %s\n", e->version,
               migc_state_name(e->state), e->applied_at, duration,
               cli_shown(e->name, shown, sizeof shown));
        text_detail(e);
    }
    for (size_t i = 0; i < st->n_packs; i++) {
        const struct migc_pack_status *p = migc_status_pack_at(st, i);
        if (i == 0)
            printf("\n%-20s  %-11s  %-22s  %10s  %s\n", "PACK", "STATE",
                   "SYNCED AT", "ROWS", "PATH");
        printf("%-20s  %-11s  %-22s  %10zu  %s\n", p->pack->name,
               migc_pack_state_name(p->state), p->synced_at, p->pack->n_rows,
               p->pack->path);
    }
    size_t n = c->schema->n_migrations;
    if (st->n_packs)
        printf("%zu migration%s, %zu pack%s, %zu pending\n", n,
               n == 1 ? "" : "s", st->n_packs, st->n_packs == 1 ? "" : "s",
               st->n_pending);
    else
        printf("%zu migration%s, %zu pending\n", n, n == 1 ? "" : "s",
               st->n_pending);
}

static void json_entry(const struct migc_status_entry *e)
{
    printf("{\"version\": %" PRId64 ", ", e->version);
    cli_json_key_str("name", e->name, 1);
    printf(", \"state\": \"%s\"", migc_state_name(e->state));
    cli_json_key_str("applied_at", e->applied_at, 0);
    if (e->applied_at[0] && e->state != MIGC_STATE_RUNNING &&
        e->state != MIGC_STATE_FAILED)
        printf(", \"duration_us\": %" PRId64, e->duration_us);
    else
        fputs(", \"duration_us\": null", stdout);
    if (e->state == MIGC_STATE_RUNNING || e->state == MIGC_STATE_FAILED ||
        e->state == MIGC_STATE_REVERTING)
        printf(", \"completed\": %d", e->completed);
    else
        fputs(", \"completed\": null", stdout);
    if (e->state == MIGC_STATE_FAILED)
        printf(", \"failed_statement\": %d", e->failed_statement + 1);
    else
        fputs(", \"failed_statement\": null", stdout);
    cli_json_key_str("error", e->error, 0);
    cli_json_key_str("adopted_from", e->adopted_from, 0);
    printf(", \"embedded\": %s}", e->migration ? "true" : "false");
}

void cli_report_status(const struct cli *c, const struct migc_status *st)
{
    if (c->format != CLI_JSON) {
        text_status(c, st);
        return;
    }
    cli_json_open(c);
    fputs("\"migrations\": [", stdout);
    for (size_t i = 0; i < st->n_entries; i++) {
        fputs(i ? ", " : "", stdout);
        json_entry(migc_status_entry_at(st, i));
    }
    fputs("], \"packs\": [", stdout);
    for (size_t i = 0; i < st->n_packs; i++) {
        const struct migc_pack_status *p = migc_status_pack_at(st, i);
        printf("%s{", i ? ", " : "");
        cli_json_key_str("name", p->pack->name, 1);
        printf(", \"state\": \"%s\"", migc_pack_state_name(p->state));
        cli_json_key_str("synced_at", p->synced_at, 0);
        printf(", \"rows\": %zu", p->pack->n_rows);
        cli_json_key_str("path", p->pack->path, 0);
        putchar('}');
    }
    printf("], \"pending\": %zu, \"round_trips\": %u, \"error\": null}\n",
           st->n_pending, st->round_trips);
}

/* ---- plan ---------------------------------------------------------------- */

/* The migrations `up` would apply: pending, running or failed ones the
 * binary embeds. */
static int to_apply(const struct migc_status_entry *e)
{
    return e->migration &&
           (e->state == MIGC_STATE_PENDING || e->state == MIGC_STATE_RUNNING ||
            e->state == MIGC_STATE_FAILED);
}

/* How `up` would run a migration: "own", "single" or "none". */
static const char *plan_how(const struct cli *c, const struct migc_migration *m)
{
    return (c->opts.flags & MIGC_OPT_SINGLE_TRANSACTION) ? "single"
           : (m->up.flags & MIGC_SCRIPT_NO_TRANSACTION)  ? "none"
                                                          : "own";
}

static void text_plan(const struct cli *c, const struct migc_status *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        if (!to_apply(e))
            continue;
        const struct migc_migration *m = e->migration;
        const char *how = plan_how(c, m);
        char shown[1024];
        printf("apply %" PRId64 " %s: %zu statement%s, %s", e->version,
               cli_shown(m->name, shown, sizeof shown), m->up.n_statements,
               m->up.n_statements == 1 ? "" : "s",
               how[0] == 's'   ? "in the one transaction of the run"
               : how[0] == 'n' ? "outside a transaction, statement by "
                                 "statement"
                               : "in its own transaction");
        if (e->state != MIGC_STATE_PENDING || e->completed > 0)
            printf(", resuming at statement %d", e->completed + 1);
        if (e->error[0] && (m->flags & MIGC_MIGRATION_SQUASHES))
            printf("; %s", e->error); /* fresh: runs the baseline */
        printf("\n");
        n++;
    }
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        char shown[1024];
        if (e->state == MIGC_STATE_PART_WAY)
            printf("cross baseline %" PRId64 " %s: %s, then it counts as "
                   "applied\n",
                   e->version, cli_shown(e->name, shown, sizeof shown),
                   e->error);
    }
    for (size_t i = 0; i < st->n_packs; i++) {
        const struct migc_pack_status *p = migc_status_pack_at(st, i);
        if (p->state != MIGC_PACK_SYNCED) {
            printf("synchronise pack %s: %zu rows (%s)\n", p->pack->name,
                   p->pack->n_rows, migc_pack_state_name(p->state));
            n++;
        }
    }
    if (n == 0)
        printf("nothing to do: the database is up to date\n");
}

void cli_report_plan(const struct cli *c, const struct migc_status *st)
{
    if (c->format != CLI_JSON) {
        text_plan(c, st);
        return;
    }
    cli_json_open(c);
    fputs("\"steps\": [", stdout);
    size_t n = 0;
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        if (!to_apply(e))
            continue;
        printf("%s{\"action\": \"apply\", \"version\": %" PRId64 ", ",
               n++ ? ", " : "", e->version);
        cli_json_key_str("name", e->migration->name, 1);
        printf(", \"statements\": %zu, \"transaction\": \"%s\", "
               "\"resume_at\": ",
               e->migration->up.n_statements, plan_how(c, e->migration));
        if (e->state != MIGC_STATE_PENDING || e->completed > 0)
            printf("%d}", e->completed + 1);
        else
            fputs("null}", stdout);
    }
    for (size_t i = 0; i < st->n_entries; i++) {
        const struct migc_status_entry *e = migc_status_entry_at(st, i);
        if (e->state != MIGC_STATE_PART_WAY)
            continue;
        printf("%s{\"action\": \"cross\", \"version\": %" PRId64 ", ",
               n++ ? ", " : "", e->version);
        cli_json_key_str("name", e->name, 1);
        cli_json_key_str("detail", e->error, 0);
        putchar('}');
    }
    for (size_t i = 0; i < st->n_packs; i++) {
        const struct migc_pack_status *p = migc_status_pack_at(st, i);
        if (p->state == MIGC_PACK_SYNCED)
            continue;
        printf("%s{\"action\": \"sync_pack\", ", n++ ? ", " : "");
        cli_json_key_str("name", p->pack->name, 1);
        printf(", \"rows\": %zu, \"state\": \"%s\"}", p->pack->n_rows,
               migc_pack_state_name(p->state));
    }
    printf("], \"up_to_date\": %s, \"error\": null}\n", n ? "false" : "true");
}

/* ---- for the fleet's report ---------------------------------------------- */

void cli_json_error(const struct migc_error *e) { json_error(e); }
