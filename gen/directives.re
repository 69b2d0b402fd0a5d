/* directives.re: find directive comments, line by line; re2c turns this into
 * directives.c. The matching rules of each tool are in directives.h. */
#include "directives.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

typedef const unsigned char *pos;

struct scan {
    pos base;
    struct directive_list *out;
    size_t cap;
};

/* The text of a matched line: without its LF, and without a CR before the
 * LF or the end of the input. */
static pos text_end(pos ls, pos next)
{
    pos e = next;
    if (e > ls && e[-1] == '\n')
        e--;
    if (e > ls && e[-1] == '\r')
        e--;
    return e;
}

/* A matched line. */
struct line {
    pos start, dash, next;
    unsigned no;
};

static struct directive *add(struct scan *s, enum directive_kind kind,
                             const struct line *l)
{
    struct directive_list *out = s->out;
    out->items = xgrow(out->items, out->n, &s->cap, sizeof *out->items);
    struct directive *x = &out->items[out->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->verdict = DIRECTIVE_READ;
    x->line_off = (size_t)(l->start - s->base);
    x->off = (size_t)(l->dash - s->base);
    x->end = (size_t)(text_end(l->start, l->next) - s->base);
    x->next = (size_t)(l->next - s->base);
    x->line = l->no;
    x->indented = l->dash > l->start;
    x->exact_case = 1;
    x->problem = NULL;
    return x;
}

static int same(pos p, pos q, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(q - p) == n && memcmp(p, lit, n) == 0;
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Go's \s: what dbmate's regexps take for a space. */
static int is_go_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static void trim(pos *p, pos *q)
{
    while (*p < *q && is_blank(**p))
        (*p)++;
    while (*q > *p && is_blank((*q)[-1]))
        (*q)--;
}

static void set_span(struct scan *s, pos p, pos q, size_t *off, size_t *len)
{
    *off = (size_t)(p - s->base);
    *len = (size_t)(q - p);
}

static void reject(struct directive *x, const char *problem)
{
    x->verdict = DIRECTIVE_REJECTED;
    x->problem = problem;
}

/* A known migc: directive: lower case or rejected. */
static void migc_case(struct directive *x, pos m1, pos m2, const char *lit)
{
    x->exact_case = same(m1, m2, lit);
    if (!x->exact_case)
        reject(x, "migc: directives are written in lower case");
}

static const char squashes_usage[] =
    "expected -- migc:squashes FROM..TO with FROM <= TO";

/* Digits p..q as int64; 0 when they do not fit. */
static int parse_i64(pos p, pos q, int64_t *v)
{
    int64_t r = 0;
    for (; p < q; p++) {
        int d = *p - '0';
        if (r > (INT64_MAX - d) / 10)
            return 0;
        r = r * 10 + d;
    }
    *v = r;
    return 1;
}

static const char lock_timeout_usage[] =
    "expected -- migc:lock-timeout VALUE: a whole number without leading "
    "zeros, then at once an optional unit us, ms, s, min, h or d (none: "
    "ms), as in 500ms, 5s or 10min";
static const char statement_timeout_usage[] =
    "expected -- migc:statement-timeout VALUE: a whole number without "
    "leading zeros, then at once an optional unit us, ms, s, min, h or d "
    "(none: ms), as in 500ms, 5s or 10min";

/* The duration p..q ("0", "500", "5s", "10min", the grammar's) is at most
 * 2147483647 ms, the largest lock_timeout and statement_timeout
 * PostgreSQL 15 takes. Like the server, us round to the nearest ms, ties
 * to even. */
static int duration_fits(pos p, pos q)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"", 1},     {"ms", 1},       {"s", 1000},
                 {"min", 60000}, {"h", 3600000}, {"d", 86400000}};
    const int64_t max_ms = INT32_MAX;
    pos u = p;
    while (u < q && *u >= '0' && *u <= '9')
        u++;
    int64_t n;
    if (!parse_i64(p, u, &n))
        return 0;
    if (same(u, q, "us")) {
        int64_t ms = n / 1000, rem = n % 1000;
        if (rem > 500 || (rem == 500 && ms % 2 == 1))
            ms++;
        return ms <= max_ms;
    }
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (same(u, q, units[i].unit))
            return n <= max_ms / units[i].ms;
    return 0; /* not a unit of the grammar's */
}

/* A lock-timeout or statement-timeout directive with its VALUE v1..v2. */
static void timeout(struct scan *s, struct directive *x, pos m1, pos m2,
                    pos v1, pos v2)
{
    int lock = x->kind == DIRECTIVE_MIGC_LOCK_TIMEOUT;
    migc_case(x, m1, m2,
              lock ? "migc:lock-timeout" : "migc:statement-timeout");
    if (duration_fits(v1, v2)) {
        set_span(s, v1, v2, &x->value_off, &x->value_len);
        return;
    }
    x->kind = DIRECTIVE_MIGC_MALFORMED;
    reject(x, lock ? "-- migc:lock-timeout VALUE is over 2147483647ms "
                     "(about 24 days), the most PostgreSQL accepts"
                   : "-- migc:statement-timeout VALUE is over 2147483647ms "
                     "(about 24 days), the most PostgreSQL accepts");
}

/* dbmate's options: the rest of the marker line, trimmed, split at Go's \s;
 * a word with exactly one ':' sets a name, a later one wins. */
static unsigned dbmate_options(pos p, pos q)
{
    int no_tx = 0;
    trim(&p, &q);
    while (p < q) {
        pos w = p;
        while (p < q && !is_go_space(*p))
            p++;
        pos colon = memchr(w, ':', (size_t)(p - w));
        if (colon && !memchr(colon + 1, ':', (size_t)(p - colon - 1)) &&
            same(w, colon, "transaction"))
            no_tx = same(colon + 1, p, "false");
        while (p < q && is_go_space(*p))
            p++;
    }
    return no_tx ? DIRECTIVE_OPT_NO_TRANSACTION : 0;
}

static void dbmate(struct directive *x, pos m1, pos m2, pos e,
                   const char *lit)
{
    x->exact_case = same(m1, m2, lit);
    x->options = dbmate_options(m2, e);
    if (x->indented) {
        x->verdict = DIRECTIVE_IGNORED;
        x->problem = "dbmate reads a marker only at the start of a line";
    } else if (!x->exact_case) {
        x->verdict = DIRECTIVE_IGNORED;
        x->problem = "dbmate reads only \"migrate:up\" and \"migrate:down\" "
                     "in lower case";
    }
}

static const struct {
    const char *name;
    enum directive_kind kind;
} goose_names[] = {
    {"Up", DIRECTIVE_GOOSE_UP},
    {"Down", DIRECTIVE_GOOSE_DOWN},
    {"StatementBegin", DIRECTIVE_GOOSE_STATEMENT_BEGIN},
    {"StatementEnd", DIRECTIVE_GOOSE_STATEMENT_END},
    {"NO TRANSACTION", DIRECTIVE_GOOSE_NO_TRANSACTION},
    {"ENVSUB ON", DIRECTIVE_GOOSE_ENVSUB_ON},
    {"ENVSUB OFF", DIRECTIVE_GOOSE_ENVSUB_OFF},
};

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int equal_fold(const unsigned char *p, size_t n, const char *lit)
{
    if (strlen(lit) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(p[i]) != ascii_lower((unsigned char)lit[i]))
            return 0;
    return 1;
}

/* Offset of "+goose" in p[0..n), or n. */
static size_t find_goose(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i + 6 <= n; i++)
        if (memcmp(p + i, "+goose", 6) == 0)
            return i;
    return n;
}

/* The annotation line ls..e as goose reads it: delete every "--", then the
 * first "+goose"; a second one is an error; trim; compare ignoring case. */
static void goose(struct scan *s, struct directive *x, pos ls, pos e)
{
    size_t n = 0, len = (size_t)(e - ls);
    unsigned char *cmd = xmalloc(len + 1);
    for (pos p = ls; p < e;) {
        if (p + 1 < e && p[0] == '-' && p[1] == '-')
            p += 2;
        else
            cmd[n++] = *p++;
    }
    size_t g = find_goose(cmd, n); /* always found: "--" has no '+' */
    if (g + 6 <= n) {
        memmove(cmd + g, cmd + g + 6, n - g - 6);
        n -= 6;
    }
    int twice = find_goose(cmd, n) < n;
    pos c = cmd, d = cmd + n;
    trim(&c, &d);

    x->kind = DIRECTIVE_GOOSE_UNKNOWN;
    for (size_t i = 0; !twice && i < sizeof goose_names / sizeof *goose_names;
         i++) {
        if (equal_fold(c, (size_t)(d - c), goose_names[i].name)) {
            x->kind = goose_names[i].kind;
            x->exact_case = same(c, d, goose_names[i].name);
        }
    }
    free(cmd);

    pos w = ls + find_goose(ls, len) + 6, we = e;
    trim(&w, &we);
    set_span(s, w, we, &x->word_off, &x->word_len);

    if (*ls == ' ' || *ls == '\t')
        reject(x, "goose rejects an annotation with blanks before \"--\"");
    else if (twice)
        reject(x, "goose rejects a line with a second \"+goose\"");
    else if (c == d)
        reject(x, "goose rejects an empty annotation");
    else if (x->kind == DIRECTIVE_GOOSE_UNKNOWN)
        reject(x, "goose rejects an unknown annotation");
}

void directives_scan(const char *bytes, size_t len, struct directive_list *out)
{
    pos const base = (pos)bytes, YYLIMIT = base + len;
    pos YYCURSOR = base, YYMARKER = base;
    pos d, m1, m2, a1, a2, b1, b2, w1, w2;
    /*!stags:re2c format = 'pos @@ = NULL;\n'; */
    struct scan s = {base, out, 0};
    struct line l = {base, base, base, 0};
    struct directive *x;
    (void)YYMARKER;

    out->items = NULL;
    out->n = 0;
    for (;;) {
        l.start = YYCURSOR;
        l.no++;
    /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;
        re2c:eof = 0;
        re2c:tags = 1;

        nl      = "\n";
        any     = [^\n];
        blank   = [ \t\v\f\r];
        nonbl   = [^ \t\v\f\r\n];
        gospace = [ \t\f\r];
        gotext  = [^ \t\f\r\n];
        rule    = [a-z0-9-];
        digit   = [0-9];
        unit    = "us" | "ms" | "s" | "min" | "h" | "d";
        dur     = ("0" | [1-9] digit*) unit?;
        lead    = blank* @d "--";
        migc    = lead blank* @m1 'migc:';

        $ { return; }

        migc 'no-transaction' @m2 blank* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_NO_TRANSACTION, &l);
            migc_case(x, m1, m2, "migc:no-transaction");
            continue;
        }
        migc 'no-transaction' @m2 blank+ nonbl any* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_MALFORMED, &l);
            x->exact_case = same(m1, m2, "migc:no-transaction");
            reject(x, "unexpected text after -- migc:no-transaction");
            continue;
        }
        migc 'allow' @m2 blank+ @a1 rule+ @a2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_ALLOW, &l);
            migc_case(x, m1, m2, "migc:allow");
            set_span(&s, a1, a2, &x->rule_off, &x->rule_len);
            b1 = a2; b2 = base + x->end;
            trim(&b1, &b2);
            set_span(&s, b1, b2, &x->reason_off, &x->reason_len);
            continue;
        }
        migc 'allow' @m2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_MALFORMED, &l);
            x->exact_case = same(m1, m2, "migc:allow");
            reject(x, "expected -- migc:allow RULE reason, RULE of a-z, 0-9 "
                      "and -");
            continue;
        }
        migc 'squashes' @m2 blank+ @a1 digit+ @a2 ".." @b1 digit+ @b2
                blank* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_SQUASHES, &l);
            migc_case(x, m1, m2, "migc:squashes");
            if (!parse_i64(a1, a2, &x->from) || !parse_i64(b1, b2, &x->to)) {
                x->kind = DIRECTIVE_MIGC_MALFORMED;
                reject(x, "a migc:squashes version does not fit in 64 bits");
            } else if (x->from > x->to) {
                x->kind = DIRECTIVE_MIGC_MALFORMED;
                reject(x, squashes_usage);
            }
            if (x->kind == DIRECTIVE_MIGC_MALFORMED)
                x->from = x->to = 0;
            continue;
        }
        migc 'squashes' @m2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_MALFORMED, &l);
            x->exact_case = same(m1, m2, "migc:squashes");
            reject(x, squashes_usage);
            continue;
        }
        migc 'lock-timeout' @m2 blank+ @a1 dur @a2 blank* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_LOCK_TIMEOUT, &l);
            timeout(&s, x, m1, m2, a1, a2);
            continue;
        }
        migc 'lock-timeout' @m2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_MALFORMED, &l);
            x->exact_case = same(m1, m2, "migc:lock-timeout");
            reject(x, lock_timeout_usage);
            continue;
        }
        migc 'statement-timeout' @m2 blank+ @a1 dur @a2 blank* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_STATEMENT_TIMEOUT, &l);
            timeout(&s, x, m1, m2, a1, a2);
            continue;
        }
        migc 'statement-timeout' @m2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_MALFORMED, &l);
            x->exact_case = same(m1, m2, "migc:statement-timeout");
            reject(x, statement_timeout_usage);
            continue;
        }
        migc @w1 nonbl* @w2 (blank any*)? nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_MIGC_UNKNOWN, &l);
            x->exact_case = same(m1, w1, "migc:");
            set_span(&s, w1, w2, &x->word_off, &x->word_len);
            reject(x, w1 == w2 ? "expected a directive name after migc:"
                               : "unknown migc: directive");
            continue;
        }

        lead blank* @m1 'no-transaction' @m2 any* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_SQLX_NO_TRANSACTION, &l);
            x->exact_case = same(m1, m2, "no-transaction");
            if (x->end - x->line_off < 17 ||
                memcmp(l.start, "-- no-transaction", 17) != 0) {
                x->verdict = DIRECTIVE_IGNORED;
                x->problem = "sqlx reads only the exact text "
                             "\"-- no-transaction\" at the start of the file";
            }
            continue;
        }

        lead gospace* @m1 'migrate:up' @m2 (gospace* | gospace+ gotext any*)
                nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_DBMATE_UP, &l);
            dbmate(x, m1, m2, base + x->end, "migrate:up");
            continue;
        }
        lead gospace* @m1 'migrate:down' @m2 (gospace* | gospace+ gotext any*)
                nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_DBMATE_DOWN, &l);
            dbmate(x, m1, m2, base + x->end, "migrate:down");
            continue;
        }

        lead any* "+goose" any* nl? {
            l.dash = d; l.next = YYCURSOR;
            x = add(&s, DIRECTIVE_GOOSE_UNKNOWN, &l);
            goose(&s, x, l.start, base + x->end);
            continue;
        }

        any* nl | any+ { continue; }

        // The rule above takes any line, so re2c emits no code for this
        // one; were it reached, it would skip the rest of the line.
        * {
            while (YYCURSOR < YYLIMIT && YYCURSOR[-1] != '\n')
                YYCURSOR++;
            continue;
        }
    */
    }
}

void directive_list_free(struct directive_list *list)
{
    if (!list)
        return;
    free(list->items);
    list->items = NULL;
    list->n = 0;
}
