/* check_bytes.c: every embedded statement is exactly its source bytes.
 *
 * Built at test time by check_bytes.sh together with the C that migc
 * generated from the hostile fixture (symbol hostile_schema, header
 * hostile.h). usage: check_bytes ROOT DUMPDIR COUNTS
 *
 * For every migration it reads ROOT/path, finds each statement's byte offset
 * from its line and column (columns count characters), and checks that the
 * embedded bytes equal the file's bytes there. On stdout it prints lines for
 * `sha256sum -c`: the migration checksum against the file, and each
 * statement checksum against a dump of the statement in DUMPDIR. COUNTS
 * receives "path n_statements" lines. It also checks the retry data and
 * timeouts against what the fixture's 006_retry.sql declares (see
 * retry_stmts). Exit status 0 only when all is well. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

static int failures;

static void failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("check_bytes: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            exit(2);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Byte offset of 1-based line:column (column in UTF-8 characters), or -1
 * when the position is not inside the file. */
static long offset_of(const char *b, size_t len, unsigned line, unsigned col)
{
    size_t i = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(b + i, '\n', len - i);
        if (!nl)
            return -1;
        i = (size_t)(nl - b) + 1;
    }
    for (unsigned c = 1; c < col; c++) {
        if (i >= len || b[i] == '\n')
            return -1;
        i++;
        while (i < len && ((unsigned char)b[i] & 0xC0) == 0x80)
            i++;
    }
    return i <= len ? (long)i : -1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static void check_statement(const struct migc_script *m, size_t j,
                            const char *file, size_t file_len, size_t *prev_end,
                            const char *dumpdir, const char *tag)
{
    const struct migc_statement *s = &m->statements[j];
    long off = offset_of(file, file_len, s->line, s->column);
    if (off < 0 || (size_t)off + s->len > file_len) {
        failf("%s statement %zu: %u:%u+%zu is outside the file", m->path, j,
              s->line, s->column, s->len);
        return;
    }
    if (memcmp(file + off, s->sql, s->len) != 0)
        failf("%s:%u:%u: embedded bytes differ from the file", m->path, s->line,
              s->column);
    if (s->sql[s->len] != '\0' || strlen(s->sql) != s->len)
        failf("%s:%u:%u: literal length is not len", m->path, s->line,
              s->column);
    if ((size_t)off < *prev_end)
        failf("%s:%u:%u: statement overlaps the one before", m->path, s->line,
              s->column);
    *prev_end = (size_t)off + s->len;
    /* A statement is trimmed: starts at a token, ends at one, no ';'. */
    if (s->len == 0 || is_space(s->sql[0]) || s->sql[0] == ';' ||
        is_space(s->sql[s->len - 1]) || s->sql[s->len - 1] == ';')
        failf("%s:%u:%u: statement not trimmed to its tokens", m->path, s->line,
              s->column);

    char dump[4096];
    snprintf(dump, sizeof dump, "%s/%s_s%zu.sql", dumpdir, tag, j);
    FILE *f = fopen(dump, "wb");
    if (!f || fwrite(s->sql, 1, s->len, f) != s->len || fclose(f) != 0) {
        failf("cannot write %s", dump);
        return;
    }
    printf("%s  %s\n", s->checksum, dump);
}

/* The statements of one script (a whole file: the fixture is plain), and
 * its checksum against the file. */
static void check_script(const struct migc_script *sc, const char *root,
                         const char *dumpdir, const char *tag, FILE *counts)
{
    if (sc->path[0] == '/')
        failf("%s: absolute path embedded", sc->path);
    if (!sc->canonical || strlen(sc->canonical) != 64)
        failf("%s: canonical hash is not 64 hex digits", sc->path);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, sc->path);
    size_t len;
    char *file = read_file(path, &len);
    if (!file) {
        failf("cannot read %s", path);
        return;
    }
    size_t prev_end = 0;
    for (size_t j = 0; j < sc->n_statements; j++)
        check_statement(sc, j, file, len, &prev_end, dumpdir, tag);
    free(file);
    printf("%s  %s\n", sc->checksum, path);
    fprintf(counts, "%s %zu\n", sc->path, sc->n_statements);
}

/* What 006_retry.sql must carry; every other statement has no retry data
 * and every other migration no timeouts. */
static const char retry_name[] = "006_retry.sql";
static const struct {
    unsigned flags;
    const char *index; /* then the cleanup drops it */
} retry_stmts[] = {
    {MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE,
     "\"public\".\"Hostile \"\"Idx\"\" \\ ?\?= */\""},
    {MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE, "\"hostile_id_desc\""},
    {MIGC_STMT_NO_TRANSACTION, NULL}, /* unnamed: not repeatable */
    {MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE, NULL},
    {MIGC_STMT_NO_TRANSACTION | MIGC_STMT_REPEATABLE, NULL},
};

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void check_retry_script(const struct migc_script *sc, int fixture)
{
    size_t n = sizeof retry_stmts / sizeof *retry_stmts;
    if (fixture && sc->n_statements != n)
        failf("%s: %zu statements, expected %zu", sc->path, sc->n_statements,
              n);
    for (size_t j = 0; j < sc->n_statements; j++) {
        const struct migc_statement *s = &sc->statements[j];
        int known = fixture && j < n;
        const char *index = known ? retry_stmts[j].index : NULL;
        char cleanup[512];
        snprintf(cleanup, sizeof cleanup,
                 "DROP INDEX CONCURRENTLY IF EXISTS %s", index ? index : "");
        if (known ? s->flags != retry_stmts[j].flags
                  : (s->flags & MIGC_STMT_REPEATABLE) != 0)
            failf("%s:%u:%u: flags %u", sc->path, s->line, s->column,
                  (unsigned)s->flags);
        if (!same_text(s->index, index) ||
            !same_text(s->cleanup, index ? cleanup : NULL))
            failf("%s:%u:%u: index %s cleanup %s, expected %s", sc->path,
                  s->line, s->column, s->index ? s->index : "NULL",
                  s->cleanup ? s->cleanup : "NULL", index ? index : "NULL");
    }
}

static void check_retry(const struct migc_migration *m)
{
    int fixture = strcmp(m->name, retry_name) == 0;
    if (!same_text(m->lock_timeout, fixture ? "5s" : NULL) ||
        !same_text(m->statement_timeout, fixture ? "10min" : NULL))
        failf("%s: lock_timeout %s statement_timeout %s", m->name,
              m->lock_timeout ? m->lock_timeout : "NULL",
              m->statement_timeout ? m->statement_timeout : "NULL");
    check_retry_script(&m->up, fixture);
    if (m->down)
        check_retry_script(m->down, 0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: check_bytes ROOT DUMPDIR COUNTS\n", stderr);
        return 2;
    }
    const char *root = argv[1], *dumpdir = argv[2];
    FILE *counts = fopen(argv[3], "w");
    if (!counts)
        return 2;
    const struct migc_schema *schema = &hostile_schema;
    int retry_seen = 0;
    if (schema->format != MIGC_FORMAT_VERSION)
        failf("format %u, expected %d", (unsigned)schema->format,
              MIGC_FORMAT_VERSION);
    if (strcmp(schema->name, "hostile_schema") != 0)
        failf("schema name %s", schema->name);
    if (!schema->fingerprint || strlen(schema->fingerprint) != 64)
        failf("fingerprint is not 64 hex digits");

    for (size_t i = 0; i < schema->n_migrations; i++) {
        const struct migc_migration *m = &schema->migrations[i];
        if (i > 0 && m->version <= schema->migrations[i - 1].version)
            failf("%s: versions not ascending", m->up.path);
        const char *slash = strrchr(m->up.path, '/');
        if (strcmp(slash ? slash + 1 : m->up.path, m->name) != 0)
            failf("%s: path does not end in the name %s", m->up.path, m->name);

        check_retry(m);
        retry_seen |= strcmp(m->name, retry_name) == 0;

        char tag[64];
        snprintf(tag, sizeof tag, "m%zu_up", i);
        check_script(&m->up, root, dumpdir, tag, counts);
        if (m->down) {
            snprintf(tag, sizeof tag, "m%zu_down", i);
            check_script(m->down, root, dumpdir, tag, counts);
        }
    }
    if (!retry_seen)
        failf("no migration %s", retry_name);
    if (fclose(counts) != 0)
        return 2;
    return failures ? 1 : 0;
}
