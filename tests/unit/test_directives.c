/* test_directives.c: directives_scan() on migc, sqlx, dbmate and goose
 * markers, near misses, and line positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "directives.h"

/* One expected directive; zero fields are the common case. */
struct want {
    enum directive_kind kind;
    unsigned line; /* 0 means 1 */
    enum directive_verdict verdict;
    int indented;
    int casefold;                     /* expect exact_case == 0 */
    const char *rule, *reason, *word; /* NULL: expect an empty span */
    const char *value;                /* the timeouts' VALUE, likewise */
    int64_t from, to;
    unsigned options;
    const char *problem; /* a substring of problem, when not NULL */
};

struct dcase {
    const char *input;
    size_t n;
    struct want w[3];
};

// clang-format off
#define NONE(s) {.input = (s)}
#define ONE(s, ...) {.input = (s), .n = 1, .w = {{__VA_ARGS__}}}
// clang-format on

#define K(k) .kind = DIRECTIVE_##k
#define IGNORED .verdict = DIRECTIVE_IGNORED
#define REJECTED .verdict = DIRECTIVE_REJECTED
#define NO_TX .options = DIRECTIVE_OPT_NO_TRANSACTION

static const struct dcase cases[] = {
    /* migc:no-transaction: blanks anywhere around, nothing after. */
    ONE("-- migc:no-transaction\n", K(MIGC_NO_TRANSACTION)),
    ONE("--migc:no-transaction", K(MIGC_NO_TRANSACTION)),
    ONE("--  \tmigc:no-transaction\n", K(MIGC_NO_TRANSACTION)),
    ONE("  \t-- migc:no-transaction  \r\n", K(MIGC_NO_TRANSACTION),
        .indented = 1),
    ONE("-- MIGC:No-Transaction\n", K(MIGC_NO_TRANSACTION), .casefold = 1,
        REJECTED, .problem = "lower case"),
    ONE("-- migc:no-transaction please\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "unexpected text"),
    ONE("-- migc:no-transaction -- CONCURRENTLY", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:no-transactions\n", K(MIGC_UNKNOWN), REJECTED,
        .word = "no-transactions", .problem = "unknown"),

    /* migc:allow RULE reason... */
    ONE("-- migc:allow missing-fk the table is empty\n", K(MIGC_ALLOW),
        .rule = "missing-fk", .reason = "the table is empty"),
    ONE("-- migc:allow missing-fk\n", K(MIGC_ALLOW), .rule = "missing-fk"),
    ONE("-- migc:allow missing-fk", K(MIGC_ALLOW), .rule = "missing-fk"),
    ONE("-- migc:allow missing-fk  \t\r\n", K(MIGC_ALLOW),
        .rule = "missing-fk"),
    ONE("--migc:allow\trule-1   why not?  \r\n", K(MIGC_ALLOW),
        .rule = "rule-1", .reason = "why not?"),
    ONE("    -- migc:allow r2 a -- b\n", K(MIGC_ALLOW), .indented = 1,
        .rule = "r2", .reason = "a -- b"),
    ONE("-- Migc:Allow x y\n", K(MIGC_ALLOW), .casefold = 1, REJECTED,
        .rule = "x", .reason = "y"),
    ONE("-- migc:allow\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "migc:allow RULE"),
    ONE("-- migc:allow   \n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:allow Missing-FK reason\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:allow a,b reason", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:allowed x\n", K(MIGC_UNKNOWN), REJECTED, .word = "allowed"),

    /* migc:squashes FROM..TO */
    ONE("-- migc:squashes 1..20\n", K(MIGC_SQUASHES), .from = 1, .to = 20),
    ONE("-- migc:squashes 5..5", K(MIGC_SQUASHES), .from = 5, .to = 5),
    ONE("-- migc:squashes 0001..0003 \r\n", K(MIGC_SQUASHES), .from = 1,
        .to = 3),
    ONE("-- migc:squashes 20250101000000..20250301000000\n", K(MIGC_SQUASHES),
        .from = 20250101000000, .to = 20250301000000),
    ONE("-- migc:squashes 0..9223372036854775807", K(MIGC_SQUASHES), .from = 0,
        .to = INT64_MAX),
    ONE("-- migc:squashes 0..9223372036854775808", K(MIGC_MALFORMED), REJECTED,
        .problem = "64 bits"),
    ONE("-- migc:squashes 99999999999999999999..1", K(MIGC_MALFORMED), REJECTED,
        .problem = "64 bits"),
    ONE("-- migc:squashes 9..1\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "FROM <= TO"),
    ONE("-- migc:squashes a..b\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "FROM..TO"),
    ONE("-- migc:squashes 1...2\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:squashes 1 .. 2\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:squashes 1..2 extra\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:squashes -1..2\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:squashes\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- MIGC:SQUASHES 1..2\n", K(MIGC_SQUASHES), .casefold = 1, REJECTED,
        .from = 1, .to = 2),

    /* migc:lock-timeout / migc:statement-timeout VALUE: digits without a
     * leading zero, then at once an optional unit, at most 2147483647 ms. */
    ONE("-- migc:lock-timeout 5s\n", K(MIGC_LOCK_TIMEOUT), .value = "5s"),
    ONE("-- migc:lock-timeout 0", K(MIGC_LOCK_TIMEOUT), .value = "0"),
    ONE("--migc:lock-timeout\t500 \r\n", K(MIGC_LOCK_TIMEOUT),
        .value = "500"),
    ONE("  -- migc:lock-timeout 500ms\n", K(MIGC_LOCK_TIMEOUT), .indented = 1,
        .value = "500ms"),
    ONE("-- migc:lock-timeout 1us\n", K(MIGC_LOCK_TIMEOUT), .value = "1us"),
    ONE("-- migc:lock-timeout 10min\n", K(MIGC_LOCK_TIMEOUT), .value = "10min"),
    ONE("-- migc:lock-timeout 1h\n", K(MIGC_LOCK_TIMEOUT), .value = "1h"),
    ONE("-- migc:lock-timeout 0d\n", K(MIGC_LOCK_TIMEOUT), .value = "0d"),
    ONE("-- migc:statement-timeout 1d\n", K(MIGC_STATEMENT_TIMEOUT),
        .value = "1d"),
    ONE("-- migc:statement-timeout 30s", K(MIGC_STATEMENT_TIMEOUT),
        .value = "30s"),
    /* The largest values PostgreSQL 15 accepts, and one more. */
    ONE("-- migc:lock-timeout 2147483647\n", K(MIGC_LOCK_TIMEOUT),
        .value = "2147483647"),
    ONE("-- migc:lock-timeout 2147483648\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "over 2147483647ms"),
    ONE("-- migc:lock-timeout 2147483647ms\n", K(MIGC_LOCK_TIMEOUT),
        .value = "2147483647ms"),
    ONE("-- migc:lock-timeout 2147483648ms\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 2147483s\n", K(MIGC_LOCK_TIMEOUT),
        .value = "2147483s"),
    ONE("-- migc:lock-timeout 2147484s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 35791min\n", K(MIGC_LOCK_TIMEOUT),
        .value = "35791min"),
    ONE("-- migc:lock-timeout 35792min\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 596h\n", K(MIGC_LOCK_TIMEOUT), .value = "596h"),
    ONE("-- migc:lock-timeout 597h\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 24d\n", K(MIGC_LOCK_TIMEOUT), .value = "24d"),
    ONE("-- migc:statement-timeout 25d\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "migc:statement-timeout VALUE is over"),
    /* us round to the nearest ms, ties to even: 2147483647.5 ms is over. */
    ONE("-- migc:lock-timeout 2147483647499us\n", K(MIGC_LOCK_TIMEOUT),
        .value = "2147483647499us"),
    ONE("-- migc:lock-timeout 2147483647500us\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 99999999999999999999\n", K(MIGC_MALFORMED),
        REJECTED),
    /* Spellings the server reads otherwise, or not at all. */
    ONE("-- migc:lock-timeout 010s\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "expected -- migc:lock-timeout VALUE"),
    ONE("-- migc:lock-timeout 5 s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 5S\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 5sec\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 5m\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 1.5s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout -1\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout +5s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout '5s'\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout 5s 10s\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:lock-timeout\n", K(MIGC_MALFORMED), REJECTED),
    ONE("-- migc:statement-timeout\n", K(MIGC_MALFORMED), REJECTED,
        .problem = "expected -- migc:statement-timeout VALUE"),
    ONE("-- migc:lock-timeout=5s\n", K(MIGC_UNKNOWN), REJECTED,
        .word = "lock-timeout=5s"),
    ONE("-- migc:lock-timeouts 5s\n", K(MIGC_UNKNOWN), REJECTED,
        .word = "lock-timeouts"),
    ONE("-- MIGC:Lock-Timeout 5s\n", K(MIGC_LOCK_TIMEOUT), .casefold = 1,
        REJECTED, .value = "5s", .problem = "lower case"),
    ONE("-- migc:STATEMENT-TIMEOUT 5s\n", K(MIGC_STATEMENT_TIMEOUT),
        .casefold = 1, REJECTED, .value = "5s"),

    /* Any other migc:WORD. */
    ONE("-- migc:frobnicate\n", K(MIGC_UNKNOWN), REJECTED, .word = "frobnicate",
        .problem = "unknown migc: directive"),
    ONE("-- migc:frob with args", K(MIGC_UNKNOWN), REJECTED, .word = "frob"),
    ONE("-- migc:\n", K(MIGC_UNKNOWN), REJECTED,
        .problem = "expected a directive name"),
    ONE("-- migc: note this\n", K(MIGC_UNKNOWN), REJECTED),
    ONE("-- Migc:Frob\n", K(MIGC_UNKNOWN), .casefold = 1, REJECTED,
        .word = "Frob"),

    /* sqlx: the text starts with "-- no-transaction". */
    ONE("-- no-transaction\n", K(SQLX_NO_TRANSACTION)),
    ONE("-- no-transaction\r\n", K(SQLX_NO_TRANSACTION)),
    ONE("-- no-transaction", K(SQLX_NO_TRANSACTION)),
    ONE("-- no-transactional, sqlx reads it\n", K(SQLX_NO_TRANSACTION)),
    ONE("--no-transaction\n", K(SQLX_NO_TRANSACTION), IGNORED,
        .problem = "sqlx"),
    ONE("--  no-transaction\n", K(SQLX_NO_TRANSACTION), IGNORED),
    ONE("  -- no-transaction\n", K(SQLX_NO_TRANSACTION), IGNORED,
        .indented = 1),
    ONE("-- NO-TRANSACTION\n", K(SQLX_NO_TRANSACTION), IGNORED, .casefold = 1),
    NONE("-- no transaction\n"),
    NONE("-- no_transaction\n"),

    /* dbmate: (?m)^--\s*migrate:(up|down)(\s*$|\s+\S+) */
    ONE("-- migrate:up\n", K(DBMATE_UP)),
    ONE("--migrate:up\n", K(DBMATE_UP)),
    ONE("--\tmigrate:down\r\n", K(DBMATE_DOWN)),
    ONE("-- migrate:down", K(DBMATE_DOWN)),
    ONE("-- migrate:up \t\r\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:false\n", K(DBMATE_UP), NO_TX),
    ONE("-- migrate:down transaction:false", K(DBMATE_DOWN), NO_TX),
    ONE("-- migrate:up   transaction:false  \r\n", K(DBMATE_UP), NO_TX),
    ONE("-- migrate:up\ttransaction:false\n", K(DBMATE_UP), NO_TX),
    ONE("-- migrate:up foo:bar transaction:false\n", K(DBMATE_UP), NO_TX),
    ONE("-- migrate:up transaction:true transaction:false\n", K(DBMATE_UP),
        NO_TX),
    ONE("-- migrate:up transaction:true\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:false transaction:true\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:FALSE\n", K(DBMATE_UP)),
    ONE("-- migrate:up Transaction:false\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:false:x\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:false transaction:true:x\n", K(DBMATE_UP),
        NO_TX), /* a word with two ':' sets nothing */
    ONE("-- migrate:up transaction=false\n", K(DBMATE_UP)),
    ONE("-- migrate:up transaction:false\vx\n", K(DBMATE_UP)),
    ONE("-- migrate:up some words\n", K(DBMATE_UP)),
    ONE("  -- migrate:up\n", K(DBMATE_UP), IGNORED, .indented = 1,
        .problem = "start of a line"),
    ONE("\f-- migrate:down transaction:false\n", K(DBMATE_DOWN), IGNORED,
        .indented = 1, NO_TX),
    ONE("-- Migrate:Up\n", K(DBMATE_UP), IGNORED, .casefold = 1,
        .problem = "lower case"),
    ONE("-- MIGRATE:DOWN\n", K(DBMATE_DOWN), IGNORED, .casefold = 1),
    NONE("-- migrate:upper\n"),
    NONE("-- migrate:up;\n"),
    NONE("-- migrate:up:x\n"),
    NONE("-- migrate: up\n"),
    NONE("-- migrate:up\v\n"),
    NONE("--\vmigrate:up\n"),
    NONE("--migration:up\n"),
    NONE("-- migrate:sideways\n"),

    /* goose: every "--" deleted, then "+goose", trimmed, case folded. */
    ONE("-- +goose Up\n", K(GOOSE_UP), .word = "Up"),
    ONE("-- +goose Down\n", K(GOOSE_DOWN), .word = "Down"),
    ONE("-- +goose StatementBegin\n", K(GOOSE_STATEMENT_BEGIN),
        .word = "StatementBegin"),
    ONE("-- +goose StatementEnd", K(GOOSE_STATEMENT_END),
        .word = "StatementEnd"),
    ONE("-- +goose NO TRANSACTION\r\n", K(GOOSE_NO_TRANSACTION),
        .word = "NO TRANSACTION"),
    ONE("-- +goose ENVSUB ON\n", K(GOOSE_ENVSUB_ON), .word = "ENVSUB ON"),
    ONE("-- +goose ENVSUB OFF\n", K(GOOSE_ENVSUB_OFF), .word = "ENVSUB OFF"),
    ONE("-- +goose up\n", K(GOOSE_UP), .casefold = 1, .word = "up"),
    ONE("-- +goose   UP \t\n", K(GOOSE_UP), .casefold = 1, .word = "UP"),
    ONE("-- +goose no transaction\n", K(GOOSE_NO_TRANSACTION), .casefold = 1,
        .word = "no transaction"),
    ONE("--+goose Up\n", K(GOOSE_UP), .word = "Up"),
    ONE("-- +gooseUp\n", K(GOOSE_UP), .word = "Up"),
    ONE("-- +goose Up --\n", K(GOOSE_UP), .word = "Up --"),
    ONE("---- +goose Up\n", K(GOOSE_UP), .word = "Up"),
    ONE("-- +goose St--atementBegin\n", K(GOOSE_STATEMENT_BEGIN),
        .word = "St--atementBegin"),
    ONE("\f-- +goose Up\n", K(GOOSE_UP), .indented = 1, .word = "Up"),
    ONE("  -- +goose Up\n", K(GOOSE_UP), REJECTED, .indented = 1, .word = "Up",
        .problem = "blanks before"),
    ONE("\t-- +goose Down\n", K(GOOSE_DOWN), REJECTED, .indented = 1,
        .word = "Down"),
    ONE("-- +goose\n", K(GOOSE_UNKNOWN), REJECTED, .problem = "empty"),
    ONE("-- +goose -- \n", K(GOOSE_UNKNOWN), REJECTED, .word = "--",
        .problem = "empty"),
    ONE("-- +goose unsupported\n", K(GOOSE_UNKNOWN), REJECTED,
        .word = "unsupported", .problem = "unknown annotation"),
    ONE("-- +goose Up -- create the table\n", K(GOOSE_UNKNOWN), REJECTED,
        .word = "Up -- create the table"),
    ONE("-- +goose NO  TRANSACTION\n", K(GOOSE_UNKNOWN), REJECTED,
        .word = "NO  TRANSACTION"),
    ONE("-- +goose Up +goose Down\n", K(GOOSE_UNKNOWN), REJECTED,
        .word = "Up +goose Down", .problem = "second"),
    ONE("-- +goose Up +goose\n", K(GOOSE_UNKNOWN), REJECTED,
        .word = "Up +goose", .problem = "second"),
    ONE("--- +goose Up\n", K(GOOSE_UNKNOWN), REJECTED, .word = "Up"),
    ONE("-- see the +goose docs\n", K(GOOSE_UNKNOWN), REJECTED, .word = "docs"),
    NONE("-- +GOOSE Up\n"),
    NONE("-- goose Up\n"),
    NONE("-- +go--ose Up\n"),

    /* One directive a line: migc first, then sqlx, dbmate, goose. */
    ONE("-- migc:allow r mentions +goose\n", K(MIGC_ALLOW), .rule = "r",
        .reason = "mentions +goose"),
    ONE("-- no-transaction +goose Up\n", K(SQLX_NO_TRANSACTION)),
    ONE("-- migrate:up +goose Up\n", K(DBMATE_UP)),

    /* Not directives. */
    NONE(""),
    NONE("\n"),
    NONE("\n\n\r\n"),
    NONE("--"),
    NONE("--\n"),
    NONE("-- just a comment\n"),
    NONE("-- migc is great\n"),
    NONE("-- migc :no-transaction\n"),
    NONE("- - migc:no-transaction\n"),
    NONE("/* -- migc:no-transaction */\n"),
    NONE("SELECT 1; -- migc:no-transaction\n"),
    NONE("SELECT '-- +goose Up';\n"),
    NONE("x -- migrate:up\n"),
    NONE("CREATE TABLE t (id int);"),
    NONE("\xEF\xBB\xBF-- migrate:up\n"), /* a BOM is not a blank */

    /* Several lines: line numbers and order. */
    {.input = "-- migrate:up transaction:false\n"
              "CREATE INDEX CONCURRENTLY i ON t (c);\n"
              "\n"
              "-- migrate:down\n"
              "DROP INDEX i;\n",
     .n = 2,
     .w = {{K(DBMATE_UP), .line = 1, NO_TX}, {K(DBMATE_DOWN), .line = 4}}},
    {.input = "-- +goose Up\r\n"
              "SELECT 1;\r\n"
              "-- +goose Down\r\n"
              "SELECT 2;",
     .n = 2,
     .w = {{K(GOOSE_UP), .line = 1, .word = "Up"},
           {K(GOOSE_DOWN), .line = 3, .word = "Down"}}},
    {.input = "-- no-transaction\n"
              "-- migc:allow big-table takes a while\n"
              "CREATE TABLE t (id int); -- migc:no-transaction\n"
              "\n"
              "\t-- migc:squashes 1..9",
     .n = 3,
     .w = {{K(SQLX_NO_TRANSACTION), .line = 1},
           {K(MIGC_ALLOW), .line = 2, .rule = "big-table",
            .reason = "takes a while"},
           {K(MIGC_SQUASHES), .line = 5, .indented = 1, .from = 1, .to = 9}}},
};

static const char *kind_name(enum directive_kind k)
{
    switch (k) {
#define N(x)                                                                   \
    case DIRECTIVE_##x: return #x;
        N(MIGC_NO_TRANSACTION)
        N(MIGC_ALLOW)
        N(MIGC_SQUASHES)
        N(MIGC_LOCK_TIMEOUT)
        N(MIGC_STATEMENT_TIMEOUT)
        N(MIGC_UNKNOWN)
        N(MIGC_MALFORMED)
        N(SQLX_NO_TRANSACTION)
        N(DBMATE_UP)
        N(DBMATE_DOWN)
        N(GOOSE_UP)
        N(GOOSE_DOWN)
        N(GOOSE_STATEMENT_BEGIN)
        N(GOOSE_STATEMENT_END)
        N(GOOSE_NO_TRANSACTION)
        N(GOOSE_ENVSUB_ON)
        N(GOOSE_ENVSUB_OFF)
        N(GOOSE_UNKNOWN)
#undef N
    }
    return "?";
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* Positions every directive must satisfy, whatever its kind. */
static int check_positions(const char *in, size_t len,
                           const struct directive_list *l)
{
    int bad = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct directive *x = &l->items[i];
        unsigned line = 1;
        for (size_t j = 0; j < x->line_off && j < len; j++)
            line += in[j] == '\n';
        int ok = x->line_off <= x->off && x->off + 2 <= x->end &&
                 x->end <= x->next && x->next <= len &&
                 (x->line_off == 0 || in[x->line_off - 1] == '\n') &&
                 memcmp(in + x->off, "--", 2) == 0 &&
                 memchr(in + x->line_off, '\n', x->end - x->line_off) == NULL &&
                 x->indented == (x->off > x->line_off) && x->line == line &&
                 (i == 0 || x->line_off >= l->items[i - 1].next) &&
                 (x->problem == NULL) == (x->verdict == DIRECTIVE_READ);
        for (size_t j = x->line_off; ok && j < x->off; j++)
            ok = is_blank(in[j]);
        /* After the text: LF, CR LF, or the end (maybe after a CR). */
        if (ok) {
            size_t brk = x->next - x->end;
            const char *b = in + x->end;
            ok = (brk == 0 && x->next == len) ||
                 (brk == 1 && (*b == '\n' || x->next == len)) ||
                 (brk == 2 && b[0] == '\r' && b[1] == '\n');
            if (ok && brk == 0 && x->end > x->line_off)
                ok = in[x->end - 1] != '\r';
        }
        if (!ok) {
            print_error("\"%s\" #%zu: bad positions line_off %zu off %zu end "
                        "%zu next %zu line %u indented %d\n",
                        in, i, x->line_off, x->off, x->end, x->next, x->line,
                        x->indented);
            bad++;
        }
    }
    return bad;
}

static int span_is(const char *in, size_t off, size_t len, const char *want)
{
    if (!want)
        return len == 0;
    return len == strlen(want) && memcmp(in + off, want, len) == 0;
}

static int check_one(const char *in, size_t i, const struct directive *x,
                     const struct want *w)
{
    unsigned line = w->line ? w->line : 1;
    if (x->kind != w->kind || x->line != line || x->verdict != w->verdict ||
        x->indented != w->indented || x->exact_case != !w->casefold ||
        x->options != w->options || x->from != w->from || x->to != w->to) {
        print_error("\"%s\" #%zu: %s line %u verdict %d indented %d exact %d "
                    "options %u %lld..%lld; expected %s line %u verdict %d "
                    "indented %d exact %d options %u %lld..%lld\n",
                    in, i, kind_name(x->kind), x->line, (int)x->verdict,
                    x->indented, x->exact_case, x->options, (long long)x->from,
                    (long long)x->to, kind_name(w->kind), line, (int)w->verdict,
                    w->indented, !w->casefold, w->options, (long long)w->from,
                    (long long)w->to);
        return 1;
    }
    if (!span_is(in, x->rule_off, x->rule_len, w->rule) ||
        !span_is(in, x->reason_off, x->reason_len, w->reason) ||
        !span_is(in, x->word_off, x->word_len, w->word) ||
        !span_is(in, x->value_off, x->value_len, w->value)) {
        print_error("\"%s\" #%zu: rule \"%.*s\" reason \"%.*s\" word "
                    "\"%.*s\" value \"%.*s\"; expected \"%s\" \"%s\" \"%s\" "
                    "\"%s\"\n",
                    in, i, (int)x->rule_len, in + x->rule_off,
                    (int)x->reason_len, in + x->reason_off, (int)x->word_len,
                    in + x->word_off, (int)x->value_len, in + x->value_off,
                    w->rule ? w->rule : "", w->reason ? w->reason : "",
                    w->word ? w->word : "", w->value ? w->value : "");
        return 1;
    }
    if (w->problem && (!x->problem || !strstr(x->problem, w->problem))) {
        print_error("\"%s\" #%zu: problem \"%s\", expected it to say \"%s\"\n",
                    in, i, x->problem ? x->problem : "(null)", w->problem);
        return 1;
    }
    return 0;
}

static void test_scan_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct dcase *dc = &cases[c];
        size_t len = strlen(dc->input);
        struct directive_list l;
        memset(&l, 0xA5, sizeof l); /* scan must overwrite it */
        directives_scan(dc->input, len, &l);
        if (l.n != dc->n) {
            print_error("\"%s\": %zu directives, expected %zu\n", dc->input,
                        l.n, dc->n);
            for (size_t i = 0; i < l.n; i++)
                print_error("  got %s line %u\n", kind_name(l.items[i].kind),
                            l.items[i].line);
            failures++;
        } else {
            for (size_t i = 0; i < l.n; i++)
                failures += check_one(dc->input, i, &l.items[i], &dc->w[i]);
            failures += check_positions(dc->input, len, &l);
        }
        directive_list_free(&l);
    }
    assert_int_equal(failures, 0);
}

/* Offsets spelled out: CR LF, LF, indentation, last line without LF. */
static void test_offsets(void **state)
{
    (void)state;
    const char *in = "-- migc:no-transaction\r\n" /* 0..22, next 24 */
                     "  -- migrate:up\n"          /* 24, "--" at 26 */
                     "SELECT 1;\n"                /* 40..49 */
                     "-- +goose Up";              /* 50..62, no LF */
    struct directive_list l;
    directives_scan(in, strlen(in), &l);
    assert_int_equal(l.n, 3);

    assert_int_equal(l.items[0].kind, DIRECTIVE_MIGC_NO_TRANSACTION);
    assert_int_equal(l.items[0].line_off, 0);
    assert_int_equal(l.items[0].off, 0);
    assert_int_equal(l.items[0].end, 22);
    assert_int_equal(l.items[0].next, 24);
    assert_int_equal(l.items[0].line, 1);
    assert_int_equal(l.items[0].indented, 0);

    assert_int_equal(l.items[1].kind, DIRECTIVE_DBMATE_UP);
    assert_int_equal(l.items[1].line_off, 24);
    assert_int_equal(l.items[1].off, 26);
    assert_int_equal(l.items[1].end, 39);
    assert_int_equal(l.items[1].next, 40);
    assert_int_equal(l.items[1].line, 2);
    assert_int_equal(l.items[1].indented, 1);
    assert_int_equal(l.items[1].verdict, DIRECTIVE_IGNORED);

    assert_int_equal(l.items[2].kind, DIRECTIVE_GOOSE_UP);
    assert_int_equal(l.items[2].line_off, 50);
    assert_int_equal(l.items[2].off, 50);
    assert_int_equal(l.items[2].end, 62);
    assert_int_equal(l.items[2].next, 62);
    assert_int_equal(l.items[2].line, 4);
    assert_int_equal(l.items[2].word_off, 60);
    assert_int_equal(l.items[2].word_len, 2);
    directive_list_free(&l);
}

/* The spans of migc:allow and squashes, as literal offsets. */
static void test_allow_spans(void **state)
{
    (void)state;
    const char *in = "\n-- migc:allow  r-1  two words \r\n"
                     "-- migc:allow r-2\r\n";
    struct directive_list l;
    directives_scan(in, strlen(in), &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].line, 2);
    assert_int_equal(l.items[0].rule_off, 16);
    assert_int_equal(l.items[0].rule_len, 3);
    assert_int_equal(l.items[0].reason_off, 21);
    assert_int_equal(l.items[0].reason_len, 9);
    assert_int_equal(l.items[0].end, 31);
    assert_int_equal(l.items[0].next, 33);
    /* An empty reason starts where the rule ends. */
    assert_int_equal(l.items[1].line, 3);
    assert_int_equal(l.items[1].rule_off, 47);
    assert_int_equal(l.items[1].rule_len, 3);
    assert_int_equal(l.items[1].reason_off, 50);
    assert_int_equal(l.items[1].reason_len, 0);
    assert_int_equal(l.items[1].end, 50);
    assert_int_equal(l.items[1].next, 52);
    directive_list_free(&l);
}

/* A CR at the very end is not part of the text; a lone CR inside is. */
static void test_cr(void **state)
{
    (void)state;
    struct directive_list l;
    directives_scan("-- migrate:up\r", 14, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].end, 13);
    assert_int_equal(l.items[0].next, 14);
    directive_list_free(&l);

    /* CR is a blank for dbmate (Go's \s), so this is a marker with text. */
    directives_scan("-- migrate:up\rtransaction:false\n", 32, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].kind, DIRECTIVE_DBMATE_UP);
    assert_int_equal(l.items[0].options, DIRECTIVE_OPT_NO_TRANSACTION);
    assert_int_equal(l.items[0].end, 31);
    directive_list_free(&l);

    /* A lone CR does not end a line. */
    directives_scan("SELECT 1;\r-- +goose Up\n", 23, &l);
    assert_int_equal(l.n, 0);
    directive_list_free(&l);
}

/* NUL bytes before len are ordinary bytes; the scan stops at len. */
static void test_nul(void **state)
{
    (void)state;
    static const char in[] = "-- migc:allow r a\0b\n"
                             "\0-- +goose Up\n"
                             "-- migrate:down";
    struct directive_list l;
    directives_scan(in, sizeof in - 1, &l);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.items[0].kind, DIRECTIVE_MIGC_ALLOW);
    assert_int_equal(l.items[0].reason_off, 16);
    assert_int_equal(l.items[0].reason_len, 3);
    assert_int_equal(l.items[1].kind, DIRECTIVE_DBMATE_DOWN);
    assert_int_equal(l.items[1].line, 3);
    assert_int_equal(l.items[1].next, sizeof in - 1);
    directive_list_free(&l);

    /* Only the first len bytes: the marker after them is not seen. */
    char buf[] = "-- +goose Up\n-- +goose Down\n";
    buf[13] = '\0';
    directives_scan(buf, 13, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].kind, DIRECTIVE_GOOSE_UP);
    directive_list_free(&l);
}

/* Many directives: the list grows and keeps line order. */
static void test_many(void **state)
{
    (void)state;
    enum { LINES = 1000 };
    static const char *const text[2] = {"-- +goose StatementBegin\n",
                                        "SELECT 1;\n"};
    size_t cap = LINES * 32, len = 0;
    char *in = malloc(cap);
    assert_non_null(in);
    for (int i = 0; i < LINES; i++) {
        const char *t = text[i % 3 == 0 ? 0 : 1];
        memcpy(in + len, t, strlen(t));
        len += strlen(t);
    }
    in[len] = '\0';
    struct directive_list l;
    directives_scan(in, len, &l);
    assert_int_equal(l.n, (LINES + 2) / 3);
    for (size_t i = 0; i < l.n; i++) {
        assert_int_equal(l.items[i].kind, DIRECTIVE_GOOSE_STATEMENT_BEGIN);
        assert_int_equal(l.items[i].line, 3 * i + 1);
    }
    assert_int_equal(check_positions(in, len, &l), 0);
    directive_list_free(&l);
    free(in);
}

static void test_list_free(void **state)
{
    (void)state;
    struct directive_list l;
    directives_scan("-- migrate:up\n", 14, &l);
    assert_int_equal(l.n, 1);
    directive_list_free(&l);
    assert_null(l.items);
    assert_int_equal(l.n, 0);
    directive_list_free(&l); /* empty: no-op */
    directive_list_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_table),  cmocka_unit_test(test_offsets),
        cmocka_unit_test(test_allow_spans), cmocka_unit_test(test_cr),
        cmocka_unit_test(test_nul),         cmocka_unit_test(test_many),
        cmocka_unit_test(test_list_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
