/* adopt_json.c: `adopt --format=json`, the plan and its outcome as one
 * JSON document on stdout (docs/adopting.md "JSON"); the text plan goes to
 * stderr meanwhile, as for `up --adopt --format=json`. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "adopt.h"

static void json_migration(const struct migc_migration *m, int first)
{
    printf("%s{\"version\": %" PRId64 ", ", first ? "" : ", ", m->version);
    cli_json_key_str("name", m->name, 1);
}

static void json_ledger(const struct adopt_ledger *l)
{
    cli_json_key_str("tool", foreign_tools[l->tool].name, 1);
    cli_json_key_str("ledger", l->shown, 0);
    printf(", \"rows\": %zu, ", l->tool == FT_FLYWAY ? l->n_read : l->n);
}

static void json_plan(const struct adopt_outcome *a)
{
    fputs("\"adopt\": [", stdout);
    for (size_t i = 0; i < a->n; i++) {
        const struct adopt_row *r = a->rec[i].row;
        json_migration(a->rec[i].m, i == 0);
        cli_json_key_str("row", r->label, 0);
        cli_json_key_str("applied_at", r->applied_at, 0);
        putchar('}');
    }
    fputs("], \"pending\": [", stdout);
    for (size_t i = 0; i < a->n_pending; i++) {
        json_migration(a->pending[i].m, i == 0);
        if (a->pending[i].baseline)
            printf(", \"replaced_by\": %" PRId64 "}", a->pending[i].baseline);
        else
            fputs(", \"replaced_by\": null}", stdout);
    }
    fputs("], \"unmapped\": [", stdout);
    size_t k = 0;
    for (size_t i = 0; i < a->l->n; i++)
        if (!a->l->rows[i].m && a->l->rows[i].state == 'a') {
            fputs(k++ ? ", " : "", stdout);
            cli_json_str(a->l->rows[i].label);
        }
    fputs("], \"repeatable\": [", stdout);
    k = 0;
    for (size_t i = 0; i < a->l->n; i++)
        if (a->l->rows[i].state == 'R') {
            fputs(k++ ? ", " : "", stdout);
            cli_json_str(a->l->rows[i].label);
        }
    printf("], \"through_baseline\": %zu, \"checksums\": {", a->n_baseline);
    cli_json_key_str("state", a->checksums, 1);
    cli_json_key_str("algorithm", a->algorithm, 0);
    printf(", \"verified\": %zu}, ", a->verified);
    cli_json_key_str("schema_check", a->schema_check, 1);
    fputs(", ", stdout);
}

/* The statements that drop the old tool's tables, once nothing reads
 * them: printed after an adoption (or when already adopted). */
static void json_drop(const struct adopt_ledger *l)
{
    char stmt[400];
    snprintf(stmt, sizeof stmt, "DROP TABLE %s;", l->quoted);
    cli_json_str(stmt);
    const char *also = foreign_tools[l->tool].also_drop;
    if (also) {
        snprintf(stmt, sizeof stmt, "DROP TABLE IF EXISTS %.*s\"%s\";",
                 (int)(strchr(l->quoted, '.') - l->quoted + 1), l->quoted,
                 also);
        fputs(", ", stdout);
        cli_json_str(stmt);
    }
}

void adopt_print_json(const struct cli *c, const struct adopt_outcome *a,
                      const struct adopt_fail *fail)
{
    cli_json_open(c);
    if (a->l)
        json_ledger(a->l);
    else
        fputs("\"tool\": null, \"ledger\": null, \"rows\": 0, ", stdout);
    if (a->l && a->checksums)
        json_plan(a);
    printf("\"dry_run\": %s, ", c->dry_run ? "true" : "false");
    const char *result = a->result;
    if (fail)
        result = fail->code == EXIT_DRIFT ? "refused" : "failed";
    cli_json_key_str("result", result, 1);
    int wrote = !fail && a->result && strcmp(a->result, "adopted") == 0;
    printf(", \"recorded\": %zu, \"drop\": [", wrote ? a->n : 0);
    if (a->l && !fail && a->result && strcmp(a->result, "dry_run") != 0)
        json_drop(a->l);
    putchar(']');
    if (a->held)
        printf(", \"held\": %zu", a->held);
    fputs(", \"error\": ", stdout);
    if (!fail) {
        fputs("null}\n", stdout);
    } else {
        printf("{\"exit_code\": %d, ", fail->code ? fail->code : EXIT_FAIL);
        cli_json_key_str("message", fail->message, 1);
        fputs("}}\n", stdout);
    }
    fflush(stdout);
}
