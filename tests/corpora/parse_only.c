/* parse_only.c: the floor of the corpora timing harness (bench.sh). Reads
 * every file named on the command line and parses it with
 * pg_query_parse_protobuf(), the call migc makes once per script: what is
 * left of `migc compile` once checking, scanning and emitting are taken away.
 *
 * usage: parse_only [--scan] [--count] FILE...
 *   --scan   also do the rest of what migc asks of libpg_query for a script:
 *            pg_query_scan() and unpacking both protobuf results (bench.sh
 *            reports it as a second floor)
 *   --count  also unpack each parse tree and print, on standard output,
 *            "files F statements S failed E" (S: statements of the files
 *            that parse; a file that does not parse counts 0 and adds 1 to
 *            E). Without it nothing is printed.
 * Exit status: 0 (files that do not parse are not a failure: the corpora
 * hold some), 2 usage or I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* The whole file as a NUL-terminated string, or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (ferror(f) || feof(f))
            break;
        if (len < cap - 1)
            continue;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    int count = 0, scan = 0, first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--count") == 0)
            count = 1;
        else if (strcmp(argv[first], "--scan") == 0)
            scan = 1;
        else
            break;
    }
    if (first >= argc || strncmp(argv[first], "--", 2) == 0) {
        fprintf(stderr, "usage: parse_only [--scan] [--count] FILE...\n");
        return 2;
    }
    size_t statements = 0, failed = 0;
    for (int i = first; i < argc; i++) {
        char *text = slurp(argv[i]);
        if (!text) {
            perror(argv[i]);
            return 2;
        }
        PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
        int parsed = r.error == NULL;
        if (r.error) {
            failed++;
        } else if (count || scan) {
            PgQuery__ParseResult *tree = pg_query__parse_result__unpack(
                NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
            if (!tree) {
                fprintf(stderr, "%s: cannot unpack the parse tree\n", argv[i]);
                return 2;
            }
            statements += tree->n_stmts;
            pg_query__parse_result__free_unpacked(tree, NULL);
        }
        pg_query_free_protobuf_parse_result(r);
        if (scan && parsed) { /* migc scans only what parses */
            PgQueryScanResult sr = pg_query_scan(text);
            if (!sr.error) {
                PgQuery__ScanResult *tokens = pg_query__scan_result__unpack(
                    NULL, sr.pbuf.len, (const uint8_t *)sr.pbuf.data);
                if (tokens)
                    pg_query__scan_result__free_unpacked(tokens, NULL);
            }
            pg_query_free_scan_result(sr);
        }
        free(text);
    }
    if (count)
        printf("files %d statements %zu failed %zu\n", argc - first,
               statements, failed);
    return 0;
}
