/* diag.c: compiler-style diagnostics, collected and printed at the end. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char *diag_rule_id(enum diag_rule rule)
{
    static const char *const ids[] = {
#define DIAG_X_ID(name, id) id,
        DIAG_RULE_MAP(DIAG_X_ID)
#undef DIAG_X_ID
    };
    return (size_t)rule < DIAG_RULE_COUNT ? ids[rule] : "unknown";
}

void diag_add(struct diags *d, const char *path, unsigned line, unsigned col,
              enum diag_severity severity, enum diag_rule rule,
              const char *fmt, ...)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    va_list ap;
    va_start(ap, fmt);
    char *message = xvasprintf(fmt, ap);
    va_end(ap);
    for (char *p = message; *p; p++) /* one diagnostic, one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    d->items[d->n++] = (struct diag){
        .path = path ? xstrdup(path) : NULL,
        .line = line,
        .col = col,
        .severity = severity,
        .rule = rule,
        .message = message,
    };
    if (severity == DIAG_ERROR)
        d->errors++;
    else if (severity == DIAG_WARNING)
        d->warnings++;
    if (severity == DIAG_ERROR && rule == DIAG_IO)
        d->io_failed = 1;
}

static const char *severity_name(enum diag_severity s)
{
    switch (s) {
    case DIAG_NOTE: return "note";
    case DIAG_WARNING: return "warning";
    case DIAG_ERROR: return "error";
    }
    return "error";
}

static const char *severity_color(enum diag_severity s)
{
    switch (s) {
    case DIAG_NOTE: return "\033[1;36m";
    case DIAG_WARNING: return "\033[1;35m";
    case DIAG_ERROR: return "\033[1;31m";
    }
    return "";
}

void diag_print(const struct diags *d, FILE *out, int color)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *g = &d->items[i];
        const char *bold = color ? "\033[1m" : "";
        const char *reset = color ? "\033[0m" : "";
        fputs(bold, out);
        fputs(g->path ? g->path : "migc", out);
        if (g->path && g->line > 0)
            fprintf(out, ":%u:%u", g->line, g->col);
        fprintf(out, ":%s %s%s:%s %s [%s]\n", reset,
                color ? severity_color(g->severity) : "",
                severity_name(g->severity), reset, g->message,
                diag_rule_id(g->rule));
    }
}

void diags_free(struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    *d = (struct diags){0};
}
