/* parse.c: split SQL into statements with libpg_query (its only user). */
#include "parse.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static int is_trivia(const PgQuery__ScanToken *t)
{
    return t->token == PG_QUERY__TOKEN__SQL_COMMENT ||
           t->token == PG_QUERY__TOKEN__C_COMMENT;
}

static int set_error(struct parse_result *out, const PgQueryError *e)
{
    out->error = xstrdup(e->message ? e->message : "syntax error");
    out->error_has_pos = e->cursorpos > 0;
    out->error_char = e->cursorpos > 0 ? (size_t)e->cursorpos - 1 : 0;
    return -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* End of token i. The scanner's own end is wrong for some tokens (U&"..."
 * ends after its U, U&'...' is empty), so a token is taken to run up to the
 * next token or the end of input, less the whitespace between: nothing but
 * whitespace separates tokens once comments are tokens too. */
static size_t token_end(const PgQuery__ScanResult *scan, size_t i,
                        const char *text, size_t len)
{
    size_t start = (size_t)scan->tokens[i]->start;
    size_t end = i + 1 < scan->n_tokens ? (size_t)scan->tokens[i + 1]->start
                                        : len;
    while (end > start && is_space(text[end - 1]))
        end--;
    return end;
}

/* Narrow [begin, end) to its first and last significant token, so that a
 * statement starts at its first keyword and ends at its last token: the
 * parser's ranges include the whitespace and comments before a statement. */
static struct stmt_range trim(const PgQuery__ScanResult *scan,
                              const char *text, size_t len, size_t *cursor,
                              size_t begin, size_t end)
{
    struct stmt_range r = {.off = begin};
    int found = 0;
    size_t i = *cursor;
    while (i < scan->n_tokens && (size_t)scan->tokens[i]->start < begin)
        i++;
    for (; i < scan->n_tokens; i++) {
        const PgQuery__ScanToken *t = scan->tokens[i];
        size_t t_end = token_end(scan, i, text, len);
        if (t_end > end)
            break;
        if (is_trivia(t) || t->token == PG_QUERY__TOKEN__ASCII_59)
            continue;
        if (!found) {
            r.off = (size_t)t->start;
            found = 1;
        }
        r.len = t_end - r.off;
    }
    *cursor = i;
    return r;
}

/* PostgreSQL folds unquoted identifiers and keywords to lower case. */
static int folds_case(const PgQuery__ScanToken *t, const char *s)
{
    if (t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD)
        return 1;
    return t->token == PG_QUERY__TOKEN__IDENT && s[0] != '"';
}

/* Feed one token and the 0x00 separator, folded to ASCII lower case. */
static void hash_token(struct hash_ctx *h, const char *s, size_t n, int fold)
{
    char buf[256];
    while (fold && n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        for (size_t j = 0; j < k; j++)
            buf[j] = s[j] >= 'A' && s[j] <= 'Z' ? (char)(s[j] - 'A' + 'a')
                                                : s[j];
        hash_update(h, buf, k);
        s += k;
        n -= k;
    }
    hash_update(h, s, n);
    hash_update(h, "", 1);
}

/* The canonical hash of every statement and of the file (see parse.h). */
static void canonicalize(const PgQuery__ScanResult *scan, const char *text,
                         size_t len, struct parse_result *out)
{
    struct hash_ctx file;
    hash_init(&file);
    size_t i = 0;
    for (size_t k = 0; k < out->n_stmts; k++) {
        struct stmt_range *r = &out->stmts[k];
        struct hash_ctx stmt;
        hash_init(&stmt);
        while (i < scan->n_tokens && (size_t)scan->tokens[i]->start < r->off)
            i++;
        for (; i < scan->n_tokens &&
               (size_t)scan->tokens[i]->start < r->off + r->len;
             i++) {
            const PgQuery__ScanToken *t = scan->tokens[i];
            if (is_trivia(t))
                continue;
            const char *s = text + t->start;
            size_t n = token_end(scan, i, text, len) - (size_t)t->start;
            hash_token(&stmt, s, n, folds_case(t, s));
            hash_token(&file, s, n, folds_case(t, s));
        }
        hash_token(&file, ";", 1, 0);
        hash_final_hex(&stmt, r->canonical);
    }
    hash_final_hex(&file, out->canonical);
}

int parse_sql(const char *text, size_t len, struct parse_result *out)
{
    *out = (struct parse_result){0};

    PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text);
    if (parsed.error) {
        set_error(out, parsed.error);
        pg_query_free_protobuf_parse_result(parsed);
        return -1;
    }
    PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
        NULL, parsed.parse_tree.len, (const uint8_t *)parsed.parse_tree.data);
    PgQueryScanResult scanned = pg_query_scan(text);
    PgQuery__ScanResult *scan =
        scanned.error ? NULL
                      : pg_query__scan_result__unpack(
                            NULL, scanned.pbuf.len,
                            (const uint8_t *)scanned.pbuf.data);
    if (!tree || !scan) {
        /* The parser accepted text the scanner then rejected: not expected
         * from one library, reported rather than guessed around. */
        out->error = xstrdup("internal error: libpg_query scan failed");
    } else {
        out->stmts = xcalloc(tree->n_stmts, sizeof *out->stmts);
        size_t cursor = 0;
        for (size_t i = 0; i < tree->n_stmts; i++) {
            const PgQuery__RawStmt *raw = tree->stmts[i];
            size_t begin = (size_t)raw->stmt_location;
            /* stmt_len 0 means "to the end of the input" (last statement). */
            size_t end = raw->stmt_len ? begin + (size_t)raw->stmt_len : len;
            struct stmt_range r = trim(scan, text, len, &cursor, begin, end);
            if (r.len > 0)
                out->stmts[out->n_stmts++] = r;
        }
        canonicalize(scan, text, len, out);
    }
    if (scan)
        pg_query__scan_result__free_unpacked(scan, NULL);
    pg_query_free_scan_result(scanned);
    if (tree)
        pg_query__parse_result__free_unpacked(tree, NULL);
    pg_query_free_protobuf_parse_result(parsed);
    return out->error ? -1 : 0;
}

void parse_result_free(struct parse_result *r)
{
    free(r->stmts);
    free(r->error);
    *r = (struct parse_result){0};
}
