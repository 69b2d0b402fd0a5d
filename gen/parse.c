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

/* Narrow [begin, end) to its first and last significant token, so that a
 * statement starts at its first keyword and ends at its last token: the
 * parser's ranges include the whitespace and comments before a statement. */
static struct stmt_range trim(const PgQuery__ScanResult *scan, size_t *cursor,
                              size_t begin, size_t end)
{
    struct stmt_range r = {begin, 0};
    int found = 0;
    size_t i = *cursor;
    while (i < scan->n_tokens && (size_t)scan->tokens[i]->start < begin)
        i++;
    for (; i < scan->n_tokens && (size_t)scan->tokens[i]->end <= end; i++) {
        const PgQuery__ScanToken *t = scan->tokens[i];
        if (is_trivia(t) || t->token == PG_QUERY__TOKEN__ASCII_59)
            continue;
        if (!found) {
            r.off = (size_t)t->start;
            found = 1;
        }
        r.len = (size_t)t->end - r.off;
    }
    *cursor = i;
    return r;
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
            struct stmt_range r = trim(scan, &cursor, begin, end);
            if (r.len > 0)
                out->stmts[out->n_stmts++] = r;
        }
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
