/* diag.c: compiler-style diagnostics, collected and printed at the end. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
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

/* ---- excerpts: the source line under a finding ------------------------- */

#define EXCERPT_TAB 8     /* a tab reaches the next multiple of 8 cells */
#define EXCERPT_WIDTH 100 /* cells of a line shown whole; longer is trimmed */
#define EXCERPT_BEFORE 40 /* cells kept before the column when trimmed */

void diag_sources(struct diags *d, const struct source *a,
                  const struct source *b)
{
    d->sources[0] = a;
    d->sources[1] = b;
}

/* The code point of the UTF-8 character at p (n bytes left), its length
 * in *len; a byte that starts no valid sequence is itself, length 1. */
static uint32_t next_char(const unsigned char *p, size_t n, size_t *len)
{
    unsigned extra = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc0;
    uint32_t cp = extra ? p[0] & (0x3fu >> extra) : p[0];
    if (extra >= n)
        extra = 0;
    for (unsigned j = 1; j <= extra; j++)
        if ((p[j] & 0xc0) != 0x80)
            extra = 0;
    for (unsigned j = 1; j <= extra; j++)
        cp = cp << 6 | (p[j] & 0x3fu);
    *len = 1 + extra;
    return extra ? cp : p[0];
}

/* Cells a terminal gives cp: 0 for combining marks and zero-width ones, 2
 * for East Asian wide and fullwidth ones (Markus Kuhn's wcwidth ranges),
 * 1 otherwise. Fixed, not the locale's: the same output everywhere. */
static unsigned char_width(uint32_t cp)
{
    static const uint32_t zero[][2] = {
        {0x0300, 0x036f},   {0x0483, 0x0489}, {0x0591, 0x05bd},
        {0x0610, 0x061a},   {0x064b, 0x065f}, {0x200b, 0x200d},
        {0x20d0, 0x20ff},   {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
        {0xe0100, 0xe01ef},
    };
    static const uint32_t wide[][2] = {
        {0x1100, 0x115f},   {0x2e80, 0x303e},   {0x3041, 0x33ff},
        {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
        {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe30, 0xfe4f},
        {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f300, 0x1f64f},
        {0x1f900, 0x1f9ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
    };
    for (size_t i = 0; i < sizeof zero / sizeof *zero; i++)
        if (cp >= zero[i][0] && cp <= zero[i][1])
            return 0;
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

/* How the character at p shows in an excerpt that has cell cells before
 * it: into buf (a NUL-terminated text of at most 16 bytes) or, returning
 * NULL, as its own bytes; *width set to its cells. Control characters are
 * written \xNN, as in messages; C1 and bidirectional controls and a byte
 * order mark <U+XXXX>, as gcc does, so that a terminal shows the line as
 * it is stored. */
static const char *char_shown(const unsigned char *p, size_t n, size_t *len,
                              unsigned cell, char buf[16], unsigned *width)
{
    uint32_t cp = next_char(p, n, len);
    if (cp == '\t') {
        *width = EXCERPT_TAB - cell % EXCERPT_TAB;
        snprintf(buf, 16, "%*s", (int)*width, "");
    } else if (cp < 0x20 || cp == 0x7f || (*len == 1 && cp >= 0x80))
        *width = (unsigned)snprintf(buf, 16, "\\x%02x", (unsigned)cp);
    else if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
             (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
             cp == 0x061c || cp == 0xfeff)
        *width = (unsigned)snprintf(buf, 16, "<U+%04X>", (unsigned)cp);
    else {
        *width = char_width(cp);
        return NULL;
    }
    return buf;
}

/* The excerpt of the line text[0..n) with the caret at character col
 * (1-based; 0: none) into g. */
static void render_excerpt(struct diag *g, const char *text, size_t n,
                           unsigned col)
{
    const unsigned char *p = (const unsigned char *)text;
    char buf[16];
    size_t len;
    unsigned cell = 0, width, caret = 0, chars = 0;
    for (size_t i = 0; i < n; i += len, cell += width) {
        char_shown(p + i, n - i, &len, cell, buf, &width);
        if (++chars == col)
            caret = cell + 1;
    }
    if (col > 0 && caret == 0)
        caret = cell + 1; /* past the end of the line: after it */
    unsigned total = cell, from = 0, to = total;
    if (total > EXCERPT_WIDTH) {
        from = caret > EXCERPT_BEFORE + 1 ? caret - 1 - EXCERPT_BEFORE : 0;
        if (from + EXCERPT_WIDTH > total)
            from = total - EXCERPT_WIDTH;
        to = from + EXCERPT_WIDTH;
    }
    /* the characters wholly within [from, to), "..." where some are not;
     * a shown escape or tab has a byte per cell, others their own bytes */
    char *out = xmalloc(n + EXCERPT_WIDTH + 8), *o = out;
    unsigned first = to, last = from;
    cell = 0;
    for (size_t i = 0; i < n; i += len, cell += width) {
        const char *shown = char_shown(p + i, n - i, &len, cell, buf, &width);
        if (cell < from || cell + width > to)
            continue;
        if (first == to) {
            first = cell;
            if (first > 0)
                o += sprintf(o, "...");
        }
        last = cell + width;
        size_t k = shown ? strlen(shown) : len;
        memcpy(o, shown ? shown : text + i, k);
        o += k;
    }
    if (first == to)
        first = from; /* nothing shown (an empty line) */
    if (last < total)
        o += sprintf(o, "...");
    *o = '\0';
    g->excerpt = xrealloc(out, (size_t)(o - out) + 1); /* not the line */
    g->caret = caret ? caret - first + (first > 0 ? 3 : 0) : 0;
}

/* Keep line of path (when one of d->sources holds it) with g. */
static void keep_excerpt(const struct diags *d, struct diag *g,
                         const char *path, unsigned line, unsigned col)
{
    for (size_t k = 0; path && line > 0 && k < 2; k++) {
        const struct source *src = d->sources[k];
        if (!src || !src->bytes || !src->path || line > src->n_lines ||
            strcmp(src->path, path) != 0)
            continue;
        size_t start = src->line_starts[line - 1];
        size_t end =
            line < src->n_lines ? src->line_starts[line] - 1 : src->len;
        if (end > start && src->bytes[end - 1] == '\r')
            end--; /* a CR LF line ending */
        render_excerpt(g, src->bytes + start, end - start, col);
        return;
    }
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
    keep_excerpt(d, &d->items[seq], path, line, col);
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

/* The excerpt of g, gcc's way: the line number in a gutter, the line,
 * then a caret under the column. */
static void print_excerpt(const struct diag *g, FILE *out, int color)
{
    int w = snprintf(NULL, 0, "%u", g->line);
    if (w < 5)
        w = 5;
    fprintf(out, "%*u | %s\n", w, g->line, g->excerpt);
    if (g->caret)
        fprintf(out, "%*s | %*s%s^%s\n", w, "", (int)(g->caret - 1), "",
                color ? "\033[1;32m" : "", color ? "\033[0m" : "");
}

void diag_print(const struct diags *d, FILE *out, unsigned flags)
{
    int color = (flags & DIAG_PRINT_COLOR) != 0;
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
        if ((flags & DIAG_PRINT_EXCERPT) && g->excerpt)
            print_excerpt(g, out, color);
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
        free(d->items[i].excerpt);
    }
    free(d->items);
    *d = (struct diags){0};
}
