/* diag.c: compiler-style diagnostics, collected and printed at the end. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "source.h"
#include "xalloc.h"

static const struct {
    const char *id;
    int fixed;
    const char *text;
} rules[] = {
#define DIAG_X_RULE(name, id, fixed, sev, handler, text) {id, fixed, text},
    DIAG_RULE_MAP(DIAG_X_RULE)
#undef DIAG_X_RULE
};

const char *diag_rule_id(enum diag_rule rule)
{
    return (size_t)rule < DIAG_RULE_COUNT ? rules[rule].id : "unknown";
}

int diag_rule_from_id(const char *id, size_t len, enum diag_rule *out)
{
    for (size_t i = 0; i < DIAG_RULE_COUNT; i++)
        if (strlen(rules[i].id) == len && memcmp(rules[i].id, id, len) == 0) {
            *out = (enum diag_rule)i;
            return 0;
        }
    return -1;
}

const char *diag_rule_text(enum diag_rule rule)
{
    return (size_t)rule < DIAG_RULE_COUNT ? rules[rule].text : "unknown";
}

int diag_rule_fixed(enum diag_rule rule)
{
    return (size_t)rule < DIAG_RULE_COUNT && rules[rule].fixed;
}

int diag_set_level(struct diags *d, const char *spec, const char **why)
{
    static const char *const names[] = {
        [DIAG_LEVEL_DEFAULT] = "default", [DIAG_LEVEL_OFF] = "off",
        [DIAG_LEVEL_NOTE] = "note",       [DIAG_LEVEL_WARNING] = "warning",
        [DIAG_LEVEL_ERROR] = "error",
    };
    const char *eq = strchr(spec, '=');
    enum diag_rule rule;
    if (!eq) {
        *why = "expected RULE=LEVEL";
        return -1;
    }
    if (diag_rule_from_id(spec, (size_t)(eq - spec), &rule) != 0) {
        *why = "no rule of that name (see docs/rules.md)";
        return -1;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strcmp(eq + 1, names[i]) != 0)
            continue;
        d->level[rule] = (unsigned char)i;
        return 0;
    }
    *why = "LEVEL is one of error, warning, note, off, default";
    return -1;
}

int diag_rule_off(const struct diags *d, enum diag_rule rule)
{
    return d->level[rule] == DIAG_LEVEL_OFF;
}

void diag_add(struct diags *d, const char *path, unsigned line, unsigned col,
              enum diag_severity severity, enum diag_rule rule,
              const char *fmt, ...)
{
    /* an error of a fixed rule is input migc cannot compile: it stays */
    switch (severity == DIAG_ERROR && rules[rule].fixed ? DIAG_LEVEL_DEFAULT
                                                        : d->level[rule]) {
    case DIAG_LEVEL_OFF: return;
    case DIAG_LEVEL_NOTE: severity = DIAG_NOTE; break;
    case DIAG_LEVEL_WARNING: severity = DIAG_WARNING; break;
    case DIAG_LEVEL_ERROR: severity = DIAG_ERROR; break;
    default: break;
    }
    d->items = xgrow(d->items, d->n, &d->cap, sizeof *d->items);
    va_list ap;
    va_start(ap, fmt);
    char *raw = xvasprintf(fmt, ap);
    va_end(ap);
    /* One diagnostic, one line, whatever a file name holds: a control
     * character (a line break too) or a byte that is not UTF-8 is written
     * \xNN, in the path and in the message. */
    char *message = text_escaped(raw, 0);
    free(raw);
    size_t seq = d->n++;
    d->items[seq] = (struct diag){
        .path = path ? text_escaped(path, 0) : NULL,
        .line = line,
        .col = col,
        .severity = severity,
        .rule = rule,
        .message = message,
        .seq = seq,
    };
    if (severity == DIAG_ERROR)
        d->errors++;
    else if (severity == DIAG_WARNING)
        d->warnings++;
    if (severity == DIAG_ERROR && rule == DIAG_IO)
        d->io_failed++;
}

static int by_place(const void *a, const void *b)
{
    const struct diag *x = a, *y = b;
    if (!x->path != !y->path)
        return x->path ? 1 : -1;
    int c = x->path ? strcmp(x->path, y->path) : 0;
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_sort(struct diags *d)
{
    if (d->n > 1)
        qsort(d->items, d->n, sizeof *d->items, by_place);
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

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void diag_print_json(const struct diags *d, FILE *out)
{
    fputs("{\"diagnostics\": [", out);
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *g = &d->items[i];
        fputs(i ? ",\n  {" : "\n  {", out);
        fputs("\"path\": ", out);
        if (g->path)
            json_string(out, g->path);
        else
            fputs("null", out);
        fprintf(out, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", "
                     "\"rule\": \"%s\", \"message\": ",
                g->line, g->col, severity_name(g->severity),
                diag_rule_id(g->rule));
        json_string(out, g->message);
        fputc('}', out);
    }
    fprintf(out, "%s], \"errors\": %zu, \"warnings\": %zu}\n",
            d->n ? "\n" : "", d->errors, d->warnings);
}

static const char *sarif_level(enum diag_severity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

void diag_print_sarif(const struct diags *d, FILE *out)
{
    fputs("{\n  \"$schema\": "
          "\"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
          "    \"tool\": {\"driver\": {\"name\": \"migc\", "
          "\"version\": \"" MIGC_VERSION_STRING "\", \"rules\": [",
          out);
    for (int r = 0; r < DIAG_RULE_COUNT; r++) {
        fprintf(out, "%s\n      {\"id\": \"%s\", \"shortDescription\": "
                     "{\"text\": ",
                r ? "," : "", diag_rule_id((enum diag_rule)r));
        json_string(out, diag_rule_text((enum diag_rule)r));
        fputs("}}", out);
    }
    fputs("]}},\n    \"results\": [", out);
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *g = &d->items[i];
        fprintf(out, "%s\n      {\"ruleId\": \"%s\", \"ruleIndex\": %d, "
                     "\"level\": \"%s\", \"message\": {\"text\": ",
                i ? "," : "", diag_rule_id(g->rule), (int)g->rule,
                sarif_level(g->severity));
        json_string(out, g->message);
        fputc('}', out);
        if (g->path) {
            fputs(", \"locations\": [{\"physicalLocation\": "
                  "{\"artifactLocation\": {\"uri\": ",
                  out);
            json_string(out, g->path);
            fputc('}', out);
            if (g->line > 0)
                fprintf(out,
                        ", \"region\": {\"startLine\": %u, "
                        "\"startColumn\": %u}",
                        g->line, g->col);
            fputs("}}]", out);
        }
        fputc('}', out);
    }
    fprintf(out, "%s]\n  }]\n}\n", d->n ? "\n    " : "");
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
