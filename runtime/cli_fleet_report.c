/* cli_fleet_report.c: what up --fleet and status --fleet print: a line
 * per target as it finishes and a summary (up), the version matrix
 * (status), or one JSON document (keys in docs/fleets.md; add keys, never
 * rename or remove them). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_fleet.h"

static const char *outcome_name(enum fleet_outcome o)
{
    switch (o) {
    case FLEET_UP_TO_DATE: return "up to date";
    case FLEET_APPLIED: return "applied";
    case FLEET_FAILED: return "failed";
    case FLEET_PENDING: return "pending";
    case FLEET_DRIFT: return "drift";
    }
    return "?";
}

/* A version for people: "-" when unknown. */
static const char *version_text(int64_t v, char *buf, size_t size)
{
    if (v < 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%" PRId64, v);
    return buf;
}

/* The message names the SQLSTATE already, when there is one. */
static void error_text(FILE *out, const struct migc_error *e)
{
    char shown[sizeof e->message * 4];
    fputs(cli_shown(e->message, shown, sizeof shown), out);
}

void fleet_report_target(const struct fleet *f, const struct fleet_target *t)
{
    if (f->status)
        return; /* the matrix, at the end */
    FILE *out = f->c->format == CLI_JSON ? stderr : stdout;
    char shown[1024], b[32], a[32];
    fprintf(out, "%s: ", cli_shown(t->shown, shown, sizeof shown));
    double ms = (double)t->duration_us / 1000.0;
    if (t->outcome == FLEET_UP_TO_DATE)
        fprintf(out, "already up to date (%s)\n",
                version_text(t->after, a, sizeof a));
    else if (t->outcome == FLEET_APPLIED)
        fprintf(out, "applied %zu (%s -> %s) in %.1f ms\n", t->applied,
                version_text(t->before, b, sizeof b),
                version_text(t->after, a, sizeof a), ms);
    else {
        fprintf(out, "failed (%s -> %s, %zu applied): ",
                version_text(t->before, b, sizeof b),
                version_text(t->after, a, sizeof a), t->applied);
        error_text(out, &t->err);
        fputc('\n', out);
    }
    fflush(out);
}

static void count(const struct fleet *f, size_t n[5])
{
    memset(n, 0, 5 * sizeof *n);
    for (size_t i = 0; i < f->n; i++)
        n[f->t[i].outcome]++;
}

/* ---- JSON --------------------------------------------------------------- */

static void json_version(const char *key, int64_t v)
{
    if (v < 0)
        printf(", \"%s\": null", key);
    else
        printf(", \"%s\": %" PRId64, key, v);
}

static void json_target(const struct fleet *f, const struct fleet_target *t)
{
    fputs("{\"target\": ", stdout);
    cli_json_str(t->shown);
    fputs(", \"db_schema\": ", stdout);
    if (t->schema)
        cli_json_str(t->schema);
    else
        fputs("null", stdout);
    printf(", \"outcome\": \"%s\"", outcome_name(t->outcome));
    if (f->status) {
        json_version("newest", t->after);
        printf(", \"pending\": %zu, \"drift\": ", t->pending);
        if (t->drift[0])
            cli_json_str(t->drift);
        else
            fputs("null", stdout);
    } else {
        json_version("before", t->before);
        json_version("after", t->after);
        printf(", \"pending\": %zu, \"applied\": %zu", t->pending, t->applied);
    }
    printf(", \"duration_ms\": %.3f, ", (double)t->duration_us / 1000.0);
    cli_json_error(&t->err);
    fputc('}', stdout);
}

static void json_report(const struct fleet *f, const size_t n[5])
{
    cli_json_open(f->c);
    printf("\"fleet\": {\"targets\": %zu, \"jobs\": %zu, ", f->n, f->jobs);
    if (f->status)
        printf("\"up_to_date\": %zu, \"pending\": %zu, \"drift\": %zu, "
               "\"failed\": %zu, ",
               n[FLEET_UP_TO_DATE], n[FLEET_PENDING], n[FLEET_DRIFT],
               n[FLEET_FAILED]);
    else
        printf("\"up_to_date\": %zu, \"applied\": %zu, \"failed\": %zu, ",
               n[FLEET_UP_TO_DATE], n[FLEET_APPLIED], n[FLEET_FAILED]);
    printf("\"duration_ms\": %.3f}, \"targets\": [",
           (double)f->duration_us / 1000.0);
    for (size_t i = 0; i < f->n; i++) {
        fputs(i ? ",\n  " : "\n  ", stdout);
        json_target(f, &f->t[i]);
    }
    fputs("\n], \"error\": null}\n", stdout); /* each target has its own */
}

/* ---- text --------------------------------------------------------------- */

static void text_matrix(const struct fleet *f, const size_t n[5])
{
    int width = 6; /* "TARGET" */
    char shown[1024], v[32];
    for (size_t i = 0; i < f->n; i++) {
        int w = (int)strlen(cli_shown(f->t[i].shown, shown, sizeof shown));
        width = w > width ? w : width;
    }
    printf("%-*s  %-14s  %-7s  %s\n", width, "TARGET", "NEWEST", "PENDING",
           "STATE");
    for (size_t i = 0; i < f->n; i++) {
        const struct fleet_target *t = &f->t[i];
        printf("%-*s  ", width, cli_shown(t->shown, shown, sizeof shown));
        if (t->outcome == FLEET_FAILED) {
            printf("%-14s  %-7s  error: ", "-", "-");
            error_text(stdout, &t->err);
            fputc('\n', stdout);
            continue;
        }
        printf("%-14s  %-7zu  %s%s%s\n", version_text(t->after, v, sizeof v),
               t->pending, outcome_name(t->outcome),
               t->outcome == FLEET_DRIFT ? ": " : "", t->drift);
    }
    printf("%zu target%s: %zu up to date, %zu pending, %zu drift, %zu "
           "unreadable\n",
           f->n, f->n == 1 ? "" : "s", n[FLEET_UP_TO_DATE], n[FLEET_PENDING],
           n[FLEET_DRIFT], n[FLEET_FAILED]);
}

static void text_summary(const struct fleet *f, const size_t n[5])
{
    printf("%zu target%s: %zu already up to date, %zu applied, %zu failed "
           "(%.1f s, --jobs %zu)\n",
           f->n, f->n == 1 ? "" : "s", n[FLEET_UP_TO_DATE], n[FLEET_APPLIED],
           n[FLEET_FAILED], (double)f->duration_us / 1e6, f->jobs);
    char shown[1024];
    for (size_t i = 0; i < f->n; i++)
        if (f->t[i].outcome == FLEET_FAILED)
            printf("failed: %s\n",
                   cli_shown(f->t[i].shown, shown, sizeof shown));
}

int fleet_report_end(const struct fleet *f)
{
    size_t n[5];
    count(f, n);
    if (f->c->format == CLI_JSON)
        json_report(f, n);
    else if (f->status)
        text_matrix(f, n);
    else
        text_summary(f, n);
    fflush(stdout);
    return n[FLEET_FAILED] ? EXIT_FLEET : EXIT_OK;
}
