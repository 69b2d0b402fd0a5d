/* emit.c: write the model as deterministic C data plus its header. */
#define _POSIX_C_SOURCE 200809L /* unlink */
#include "emit.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "atomic.h"
#include "migc.h"
#include "retry.h"
#include "xalloc.h"

/* A literal piece longer than this is split even without a newline, so that
 * no output line is unreasonably long for editors and diff tools. */
enum { PIECE_MAX = 4000 };

static void emit_byte(FILE *out, unsigned char c, unsigned char prev)
{
    switch (c) {
    case '\\': fputs("\\\\", out); return;
    case '"': fputs("\\\"", out); return;
    case '\n': fputs("\\n", out); return;
    case '\r': fputs("\\r", out); return;
    case '\t': fputs("\\t", out); return;
    case '?':
        fputs(prev == '?' ? "\\?" : "?", out); /* never a trigraph */
        return;
    default:
        break;
    }
    if (c < 0x20 || c >= 0x7F)
        fprintf(out, "\\%03o", c); /* always 3 digits: nothing absorbed */
    else
        fputc(c, out);
}

/* A byte that stands for itself inside a string literal. */
static int plain_byte(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '\\' && c != '"' && c != '?';
}

void emit_c_string(FILE *out, const char *bytes, size_t len,
                   const char *indent)
{
    const unsigned char *b = (const unsigned char *)bytes;
    fputc('"', out);
    size_t piece = 0; /* bytes of the current literal piece: < PIECE_MAX */
    for (size_t i = 0; i < len;) {
        size_t run = 0; /* plain bytes, written as one run */
        while (i + run < len && run < PIECE_MAX - piece &&
               plain_byte(b[i + run]))
            run++;
        if (run) {
            fwrite(b + i, 1, run, out);
            i += run;
            piece += run;
        } else {
            emit_byte(out, b[i], i > 0 ? b[i - 1] : 0);
            i++;
            piece++;
        }
        if (i < len && (b[i - 1] == '\n' || piece >= PIECE_MAX)) {
            fprintf(out, "\"\n%s\"", indent);
            piece = 0;
        }
    }
    fputc('"', out);
}

/* A string literal, or NULL. */
static void emit_c_string_or_null(FILE *out, const char *s)
{
    if (s)
        emit_c_string(out, s, strlen(s), "");
    else
        fputs("NULL", out);
}

/* C11 keywords, and C++ ones a header with an extern "C" guard meets. */
static const char *const keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
    "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local", "bool", "class", "delete", "new",
    "namespace", "operator", "private", "protected", "public", "template",
    "this", "throw", "try", "catch", "virtual", "using", "typename",
};

int emit_valid_symbol(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strcmp(s, keywords[i]) == 0)
            return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    return strncmp(s, "migc_", 5) != 0 && strncmp(s, "MIGC_", 5) != 0;
}

/* A path inside a C comment: anything that could end the comment or form a
 * trigraph is replaced. Only for the reader; the data holds the exact path. */
static void emit_comment_path(FILE *out, const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        fputc(isprint(*p) && *p != '*' && *p != '?' && *p != '\\' ? *p : '_',
              out);
}

/* The statements of one script as an array named
 * migc_<prefix><index>_<half>_statements (prefix m: a migration of the
 * chain, o: an archived original); nothing for a script without
 * statements. */
static void emit_statements(FILE *out, const struct model_script *sc,
                            const char *prefix, size_t index,
                            const char *half)
{
    if (sc->n_stmts == 0)
        return;
    fprintf(out,
            "static const struct migc_statement migc_%s%zu_%s_statements[] = "
            "{\n",
            prefix, index, half);
    for (size_t j = 0; j < sc->n_stmts; j++) {
        const struct model_statement *s = &sc->stmts[j];
        struct retry r = {.flags = s->flags};
        retry_annotate(s->node, &r);
        fputs("    /* ", out);
        emit_comment_path(out, sc->source_path);
        fprintf(out, ":%u:%u */\n    {.sql = ", s->line, s->col);
        emit_c_string(out, sc->src->bytes + s->off, s->len, "            ");
        fprintf(out,
                ",\n     .len = %zu,\n     .line = %u,\n     .column = %u,\n"
                "     .flags = %uu,\n     .checksum = \"%s\",\n"
                "     .canonical = \"%s\",\n     .index = ",
                s->len, s->line, s->col, r.flags, s->checksum, s->canonical);
        emit_c_string_or_null(out, r.index);
        fputs(",\n     .cleanup = ", out);
        emit_c_string_or_null(out, r.cleanup);
        fputs("},\n", out);
        retry_free(&r);
    }
    fputs("};\n\n", out);
}

/* The fields of a struct migc_script, inside its braces. */
static void emit_script_fields(FILE *out, const struct model_script *sc,
                               const char *prefix, size_t index,
                               const char *half, const char *indent)
{
    fprintf(out, "%s.path = ", indent);
    emit_c_string(out, sc->source_path, strlen(sc->source_path), "");
    fprintf(out, ",\n%s.flags = %uu,\n%s.checksum = \"%s\",\n",
            indent, sc->flags, indent, sc->checksum);
    fprintf(out, "%s.canonical = \"%s\",\n", indent, sc->canonical);
    if (sc->n_stmts)
        fprintf(out, "%s.statements = migc_%s%zu_%s_statements,\n", indent,
                prefix, index, half);
    else
        fprintf(out, "%s.statements = NULL,\n", indent);
    fprintf(out, "%s.n_statements = %zu", indent, sc->n_stmts);
}

static void emit_scripts(FILE *out, const struct model_migration *mm,
                         size_t index)
{
    emit_statements(out, &mm->up, "m", index, "up");
    if (!mm->down.present)
        return;
    emit_statements(out, &mm->down, "m", index, "down");
    fprintf(out, "static const struct migc_script migc_m%zu_down = {\n",
            index);
    emit_script_fields(out, &mm->down, "m", index, "down", "    ");
    fputs("};\n\n", out);
}

/* Whether the lock lists what baseline `version` replaced. */
static int listed(const struct lock_squashed *sq, size_t n, int64_t version)
{
    for (size_t i = 0; i < n; i++)
        if (sq[i].baseline == version)
            return 1;
    return 0;
}

/* One struct migc_migration; an archived original (prefix o) without its
 * down script, which no run reverts. */
static void emit_migration(FILE *out, const struct model_migration *mm,
                           const char *prefix, size_t index, unsigned flags)
{
    fprintf(out, "    {.version = INT64_C(%lld),\n     .name = ",
            (long long)mm->file->version);
    emit_c_string(out, mm->file->name, strlen(mm->file->name), "");
    fputs(",\n     .description = ", out);
    emit_c_string(out, mm->file->description, strlen(mm->file->description),
                  "");
    fprintf(out,
            ",\n     .flags = %uu,\n     .squash_from = INT64_C(%lld),\n"
            "     .squash_to = INT64_C(%lld),\n     .up = {\n",
            flags, (long long)mm->squash_from, (long long)mm->squash_to);
    emit_script_fields(out, &mm->up, prefix, index, "up", "         ");
    fputs("},\n", out);
    if (mm->down.present && strcmp(prefix, "m") == 0)
        fprintf(out, "     .down = &migc_m%zu_down,\n", index);
    else
        fputs("     .down = NULL,\n", out);
    fputs("     .lock_timeout = ", out);
    emit_c_string_or_null(out, mm->lock_timeout);
    fputs(",\n     .statement_timeout = ", out);
    emit_c_string_or_null(out, mm->statement_timeout);
    fputs("},\n", out);
}

/* One struct migc_foreign: the up file's identities in other tools. */
static void emit_foreign_entry(FILE *out, const struct model_migration *mm)
{
    const struct model_foreign *f = &mm->foreign;
    fputs("    /* ", out);
    emit_comment_path(out, mm->up.source_path);
    fputs(" */\n    {.stem = ", out);
    emit_c_string_or_null(out, f->stem);
    fprintf(out,
            ",\n     .sha384 = \"%s\",\n     .md5 = \"%s\",\n"
            "     .sha256_lf = \"%s\",\n     .sha256_crlf = \"%s\"},\n",
            f->sha384, f->md5, f->sha256_lf, f->sha256_crlf);
}

/* One struct migc_flyway: the up file's identity in Flyway's ledger. */
static void emit_flyway_entry(FILE *out, const struct model_migration *mm)
{
    const struct model_foreign *f = &mm->foreign;
    fputs("    /* ", out);
    emit_comment_path(out, mm->up.source_path);
    fputs(" */\n    {.version = ", out);
    emit_c_string_or_null(out, f->fw_version);
    fputs(",\n     .description = ", out);
    emit_c_string_or_null(out, f->fw_description);
    fputs(",\n     .script = ", out);
    emit_c_string_or_null(out, f->fw_script);
    fprintf(out, ",\n     .checksum = INT32_C(%ld)},\n", (long)f->fw_checksum);
}

/* migc_flyway[] (or NAME) for the n migrations of list when they are in
 * Flyway's layout (each has a Flyway version); whether it was written. */
static int emit_flyway(FILE *out, const char *name,
                       const struct model_migration *const *list, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!list[i]->foreign.fw_version)
            return 0;
    fprintf(out, "static const struct migc_flyway %s[] = {\n", name);
    for (size_t i = 0; i < n; i++)
        emit_flyway_entry(out, list[i]);
    fputs("};\n\n", out);
    return 1;
}

/* A pack statement (generated, not read from a file) as the fields of a
 * struct migc_statement. */
static void emit_pack_statement(FILE *out, const struct pack_row *r)
{
    fputs("{.sql = ", out);
    emit_c_string(out, r->sql, r->len, "                 ");
    fprintf(out,
            ",\n                .len = %zu,\n                .line = %u,\n"
            "                .column = %u,\n                .flags = 0u,\n"
            "                .checksum = \"%s\",\n"
            "                .canonical = \"%s\",\n"
            "                .index = NULL,\n                .cleanup = NULL}",
            r->len, r->line, r->col, r->checksum, r->canonical);
}

/* The packs (docs/packs.md) as migc_packs[]; nothing when there is none. */
static void emit_packs(FILE *out, const struct pack_set *ps)
{
    if (!ps || ps->n == 0)
        return;
    for (size_t i = 0; i < ps->n; i++) {
        const struct pack *p = &ps->packs[i];
        if (p->n_rows) {
            fprintf(out, "static const struct migc_pack_row migc_p%zu_rows[] = "
                         "{\n", i);
            for (size_t j = 0; j < p->n_rows; j++) {
                const struct pack_row *r = &p->rows[j];
                fputs("    /* ", out);
                emit_comment_path(out, r->path);
                fprintf(out, ":%u:%u */\n    {.path = ", r->line, r->col);
                emit_c_string(out, r->path, strlen(r->path), "");
                fputs(",\n     .table = ", out);
                emit_c_string(out, r->table, strlen(r->table), "");
                fputs(",\n     .ref = ", out);
                emit_c_string(out, r->ref, strlen(r->ref), "");
                fputs(",\n     .upsert = ", out);
                emit_pack_statement(out, r);
                fputs("},\n", out);
            }
            fputs("};\n\n", out);
        }
        if (p->n_tables) {
            fprintf(out, "static const struct migc_pack_table "
                         "migc_p%zu_tables[] = {\n", i);
            for (size_t j = 0; j < p->n_tables; j++) {
                const struct pack_table *t = &p->tables[j];
                fputs("    {.table = ", out);
                emit_c_string(out, t->table, strlen(t->table), "");
                fputs(",\n     .orphans = ", out);
                emit_c_string(out, t->orphans, strlen(t->orphans), "");
                fputs(",\n     .prune = ", out);
                emit_c_string(out, t->prune, strlen(t->prune), "");
                fputs("},\n", out);
            }
            fputs("};\n\n", out);
        }
    }
    fputs("static const struct migc_pack migc_packs[] = {\n", out);
    for (size_t i = 0; i < ps->n; i++) {
        const struct pack *p = &ps->packs[i];
        fputs("    {.name = ", out);
        emit_c_string(out, p->name, strlen(p->name), "");
        fputs(",\n     .path = ", out);
        emit_c_string(out, p->path, strlen(p->path), "");
        fprintf(out, ",\n     .checksum = \"%s\",\n", p->checksum);
        if (p->n_rows)
            fprintf(out, "     .rows = migc_p%zu_rows,\n", i);
        else
            fputs("     .rows = NULL,\n", out);
        fprintf(out, "     .n_rows = %zu,\n", p->n_rows);
        if (p->n_tables)
            fprintf(out, "     .tables = migc_p%zu_tables,\n", i);
        else
            fputs("     .tables = NULL,\n", out);
        fprintf(out, "     .n_tables = %zu},\n", p->n_tables);
    }
    fputs("};\n\n", out);
}

struct emitter {
    FILE *out;
    char *tmp; /* its temporary name, beside out_c */
    char *out_c, *symbol;
};

struct emitter *emit_begin(const char *out_c, const char *symbol,
                           struct diags *d)
{
    char *tmp;
    FILE *out = atomic_open_guarded(out_c, &tmp, d);
    if (!out)
        return NULL;
    struct emitter *e = xcalloc(1, sizeof *e);
    *e = (struct emitter){out, tmp, xstrdup(out_c), xstrdup(symbol)};
    fprintf(out,
            "/* Generated by migc %s (schema %s). Do not edit. */\n"
            "#include <migc.h>\n\n"
            "#if MIGC_FORMAT_VERSION < %d\n"
            "#error \"generated by migc %s for data format %d: this migc.h "
            "is older; regenerate it with the migc that matches this "
            "migc.h\"\n"
            "#endif\n\n"
            "/* Statements are string literals as long as their source. */\n"
            "#if defined(__GNUC__) || defined(__clang__)\n"
            "#pragma GCC diagnostic push\n"
            "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n"
            "#endif\n\n",
            MIGC_VERSION_STRING, symbol, MIGC_FORMAT_VERSION,
            MIGC_VERSION_STRING, MIGC_FORMAT_VERSION);
    return e;
}

void emit_migration_scripts(struct emitter *e, const struct model *m,
                            size_t i)
{
    emit_scripts(e->out, &m->migrations[i], i);
}

/* The released migrations the baselines replaced, as migc_squashed[]. */
static void emit_squashed(FILE *out, const struct lock_squashed *sq, size_t n)
{
    if (n == 0)
        return;
    fputs("static const struct migc_squashed migc_squashed[] = {\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "    {.version = INT64_C(%lld),\n"
                     "     .baseline = INT64_C(%lld),\n     .name = ",
                (long long)sq[i].version, (long long)sq[i].baseline);
        emit_c_string(out, sq[i].name, strlen(sq[i].name), "");
        fprintf(out, ",\n     .checksum = \"%s\"},\n", sq[i].checksum);
    }
    fputs("};\n\n", out);
}

static int by_version(const void *a, const void *b)
{
    int64_t x = (*(const struct model_migration *const *)a)->file->version;
    int64_t y = (*(const struct model_migration *const *)b)->file->version;
    return (x > y) - (x < y);
}

/* The archived originals the lock lists as released (archive_carried()),
 * ascending by version, as migc_originals[] and their statements; returns
 * their count. */
static size_t emit_originals(FILE *out, const struct model *m,
                             const struct lock_squashed *sq, size_t n_sq,
                             int *flyway)
{
    size_t n = 0, cap = 0;
    const struct model_migration **list = NULL;
    for (size_t i = 0; i < m->n_archives; i++) {
        const struct model_archive *a = &m->archives[i];
        for (size_t k = 0; k < a->originals.n; k++) {
            const struct model_migration *mm = &a->originals.migrations[k];
            if (!archive_carried(a, mm, sq, n_sq))
                continue;
            list = xgrow(list, n, &cap, sizeof *list);
            list[n++] = mm;
        }
    }
    if (n > 1)
        qsort(list, n, sizeof *list, by_version);
    for (size_t k = 0; k < n; k++)
        emit_statements(out, &list[k]->up, "o", k, "up");
    if (n) {
        fputs("static const struct migc_migration migc_originals[] = {\n",
              out);
        for (size_t k = 0; k < n; k++)
            emit_migration(out, list[k], "o", k, list[k]->flags);
        fputs("};\n\n", out);
        fputs("static const struct migc_foreign migc_foreign_originals[] = "
              "{\n", out);
        for (size_t k = 0; k < n; k++)
            emit_foreign_entry(out, list[k]);
        fputs("};\n\n", out);
    }
    *flyway = emit_flyway(out, "migc_flyway_originals", list, n);
    free(list);
    return n;
}

/* The baselines whose originals were retired, as migc_retired[]; returns
 * their count. */
static size_t emit_retired(FILE *out, const struct lock_file *lf)
{
    size_t n = lf ? lf->n_retired : 0;
    if (n == 0)
        return 0;
    struct lock_retired *list = xcalloc(n, sizeof *list);
    memcpy(list, lf->retired, n * sizeof *list);
    for (size_t i = 1; i < n; i++) /* a handful: insertion sort */
        for (size_t k = i; k > 0 && list[k - 1].baseline > list[k].baseline;
             k--) {
            struct lock_retired t = list[k];
            list[k] = list[k - 1];
            list[k - 1] = t;
        }
    fputs("static const struct migc_retired migc_retired[] = {\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "    {.baseline = INT64_C(%lld), .last = INT64_C(%lld)},\n",
                (long long)list[i].baseline, (long long)list[i].last);
    fputs("};\n\n", out);
    free(list);
    return n;
}

static void emit_tail(FILE *out, const struct model *m,
                      const struct pack_set *ps,
                      const struct lock_squashed *sq, size_t n_sq,
                      const struct lock_file *lf, const char *symbol)
{
    if (m->n > 0) {
        fputs("static const struct migc_migration migc_migrations[] = {\n", out);
        for (size_t i = 0; i < m->n; i++) {
            const struct model_migration *mm = &m->migrations[i];
            unsigned flags = mm->flags;
            if ((flags & MIGC_MIGRATION_SQUASHES) &&
                listed(sq, n_sq, mm->file->version))
                flags |= MIGC_MIGRATION_SQUASHED_LISTED;
            emit_migration(out, mm, "m", i, flags);
        }
        fputs("};\n\n", out);
        fputs("static const struct migc_foreign migc_foreign[] = {\n", out);
        for (size_t i = 0; i < m->n; i++)
            emit_foreign_entry(out, &m->migrations[i]);
        fputs("};\n\n", out);
    }
    int flyway = 0, flyway_orig = 0;
    if (m->n > 0) {
        const struct model_migration **list = xcalloc(m->n, sizeof *list);
        for (size_t i = 0; i < m->n; i++)
            list[i] = &m->migrations[i];
        flyway = emit_flyway(out, "migc_flyway", list, m->n);
        free(list);
    }
    emit_squashed(out, sq, n_sq);
    size_t n_orig = emit_originals(out, m, sq, n_sq, &flyway_orig);
    size_t n_retired = emit_retired(out, lf);
    emit_packs(out, ps);
    size_t n_packs = ps ? ps->n : 0;
    fprintf(out,
            "extern const struct migc_schema %s;\n"
            "const struct migc_schema %s = {\n"
            "    .format = %d,\n"
            "    .name = \"%s\",\n"
            "    .generator = \"migc %s\",\n"
            "    .fingerprint = \"%s\",\n"
            "    .migrations = %s,\n"
            "    .n_migrations = %zu,\n"
            "    .packs = %s,\n"
            "    .n_packs = %zu,\n"
            "    .squashed = %s,\n"
            "    .n_squashed = %zu,\n"
            "    .originals = %s,\n"
            "    .n_originals = %zu,\n"
            "    .retired = %s,\n"
            "    .n_retired = %zu,\n"
            "    .foreign = %s,\n"
            "    .foreign_originals = %s,\n"
            "    .flyway = %s,\n"
            "    .flyway_originals = %s,\n"
            "};\n\n"
            "#if defined(__GNUC__) || defined(__clang__)\n"
            "#pragma GCC diagnostic pop\n"
            "#endif\n",
            symbol, symbol, MIGC_FORMAT_VERSION, symbol, MIGC_VERSION_STRING,
            m->fingerprint, m->n > 0 ? "migc_migrations" : "NULL", m->n,
            n_packs ? "migc_packs" : "NULL", n_packs,
            n_sq ? "migc_squashed" : "NULL", n_sq,
            n_orig ? "migc_originals" : "NULL", n_orig,
            n_retired ? "migc_retired" : "NULL", n_retired,
            m->n > 0 ? "migc_foreign" : "NULL",
            n_orig ? "migc_foreign_originals" : "NULL",
            flyway ? "migc_flyway" : "NULL",
            flyway_orig ? "migc_flyway_originals" : "NULL");
}

/* MIGC_SCHEMA_<SYMBOL>_H, written without allocating: the header's
 * temporary exists while it is written, and out of memory must not leave
 * it behind. */
static void put_guard(FILE *out, const char *symbol)
{
    fputs("MIGC_SCHEMA_", out);
    for (const char *p = symbol; *p; p++)
        fputc(toupper((unsigned char)*p), out);
    fputs("_H", out);
}

static void emit_header(FILE *out, const char *symbol)
{
    fprintf(out, "/* Generated by migc %s (schema %s). Do not edit. */\n"
                 "#ifndef ",
            MIGC_VERSION_STRING, symbol);
    put_guard(out, symbol);
    fputs("\n#define ", out);
    put_guard(out, symbol);
    fprintf(out,
            "\n\n"
            "#include <migc.h>\n\n"
            "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
            "extern const struct migc_schema %s;\n\n"
            "#ifdef __cplusplus\n}\n#endif\n\n"
            "#endif\n",
            symbol);
}

int emit_end(struct emitter *e, const struct model *m,
             const struct pack_set *packs, const struct lock_squashed *sq,
             size_t n_sq, const struct lock_file *lf, const char *out_h,
             int commit, struct diags *d)
{
    int rc = -1;
    char *h_tmp = NULL;
    if (commit)
        emit_tail(e->out, m, packs, sq, n_sq, lf, e->symbol);
    if (atomic_close_temp(e->out, e->out_c, &e->tmp, commit, d) == 0) {
        FILE *h = atomic_open_temp(out_h, &h_tmp, d);
        if (h) {
            emit_header(h, e->symbol);
            atomic_close_temp(h, out_h, &h_tmp, 1, d);
        }
    }
    if (e->tmp && h_tmp) {
        if (rename(h_tmp, out_h) != 0)
            diag_add(d, out_h, 0, 0, DIAG_ERROR, DIAG_IO, "cannot rename: %s",
                     strerror(errno));
        else if (rename(e->tmp, e->out_c) != 0)
            diag_add(d, e->out_c, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot rename: %s", strerror(errno));
        else
            rc = 0;
    }
    /* After a failure the temporaries go; a header renamed before the
     * source failed is harmless: it only declares the symbol. */
    if (e->tmp && rc != 0)
        unlink(e->tmp);
    if (h_tmp && rc != 0)
        unlink(h_tmp);
    atomic_guard(NULL);
    free(h_tmp);
    free(e->tmp);
    free(e->out_c);
    free(e->symbol);
    free(e);
    return rc;
}
