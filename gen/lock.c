/* lock.c: read, verify and append the lock file (docs/lock-file.md). */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "migc.h"
#include "source.h"
#include "xalloc.h"

static const char header[] =
    "# migc lock: released migrations. Written by `migc lock`; do not edit "
    "by hand.\n";
static const char final_tag[] = "sha256 ";

char *lock_default_path(const char *dir)
{
    return xasprintf("%s/migc.lock", dir);
}

/* --- reading ------------------------------------------------------------ */

/* A cursor over one line; every take_* advances it or returns -1. */
struct field {
    const char *p, *end;
};

static int take_version(struct field *f, int64_t *out)
{
    int64_t v = 0;
    const char *start = f->p;
    for (; f->p < f->end && *f->p >= '0' && *f->p <= '9'; f->p++) {
        int dgt = *f->p - '0';
        if (v > (INT64_MAX - dgt) / 10)
            return -1;
        v = v * 10 + dgt;
    }
    *out = v;
    return f->p > start ? 0 : -1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* n lowercase hex digits into out (n + 1 bytes). */
static int take_hex(struct field *f, size_t n, char *out)
{
    if ((size_t)(f->end - f->p) < n)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!is_hex(f->p[i]))
            return -1;
    memcpy(out, f->p, n);
    out[n] = '\0';
    f->p += n;
    return 0;
}

static int take_char(struct field *f, char c)
{
    if (f->p == f->end || *f->p != c)
        return -1;
    f->p++;
    return 0;
}

/* HASH16[,HASH16...] up to the end of the line. */
static int take_stmts(struct field *f, struct lock_entry *e)
{
    size_t n = (size_t)(f->end - f->p + 1) / (LOCK_STMT_HEX_LEN + 1);
    e->stmts = xcalloc(n ? n : 1, sizeof *e->stmts);
    do {
        if (e->n_stmts == n ||
            take_hex(f, LOCK_STMT_HEX_LEN, e->stmts[e->n_stmts++]) != 0)
            return -1;
    } while (take_char(f, ',') == 0);
    return f->p == f->end ? 0 : -1;
}

/* Parse one entry line (without its newline): NULL, or what is wrong. */
static const char *parse_entry(const char *s, size_t n, struct lock_entry *e)
{
    struct field f = {s, s + n};
    if (take_version(&f, &e->version) != 0 || take_char(&f, ' ') != 0)
        return "bad version";
    if (take_hex(&f, HASH_HEX_LEN, e->raw) != 0 || take_char(&f, ' ') != 0)
        return "bad raw SHA-256";
    if (take_hex(&f, HASH_HEX_LEN, e->canonical) != 0 ||
        take_char(&f, ' ') != 0)
        return "bad canonical SHA-256";
    /* The name may hold spaces: the statement list is the last field. */
    const char *list = f.end;
    while (list > f.p && list[-1] != ' ')
        list--;
    if (list - 1 <= f.p || memchr(f.p, '\0', (size_t)(list - 1 - f.p)))
        return "bad file name";
    e->name = xstrndup(f.p, (size_t)(list - 1 - f.p));
    f.p = list;
    if (take_stmts(&f, e) != 0)
        return "bad statement hashes";
    return NULL;
}

static const struct lock_entry *find_version(const struct lock_file *lf,
                                             int64_t version)
{
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].version == version)
            return &lf->entries[i];
    return NULL;
}

static void read_entry(struct lock_file *lf, const char *s, size_t n,
                       unsigned line, struct diags *d)
{
    struct lock_entry e = {
        .line = line, .off = (size_t)(s - lf->bytes), .len = n + 1};
    const char *why = parse_entry(s, n, &e);
    const struct lock_entry *twin = why ? NULL : find_version(lf, e.version);
    if (why)
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "malformed line (%s): expected \"VERSION RAW-SHA256 "
                 "CANONICAL-SHA256 NAME STATEMENT-HASHES\"",
                 why);
    else if (twin)
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "version %lld is listed twice (also on line %u)",
                 (long long)e.version, twin->line);
    if (why || twin) {
        free(e.name);
        free(e.stmts);
        return;
    }
    lf->entries = xrealloc(lf->entries, (lf->n + 1) * sizeof *lf->entries);
    lf->entries[lf->n++] = e;
}

static const char record_tag[] = "#squashed ";

static const struct lock_record *find_record(const struct lock_file *lf,
                                             int64_t version)
{
    for (size_t i = 0; i < lf->n_records; i++)
        if (lf->records[i].entry.version == version)
            return &lf->records[i];
    return NULL;
}

/* "#squashed BASELINE ENTRY": a migration a baseline replaced. */
static void read_record(struct lock_file *lf, const char *s, size_t n,
                        unsigned line, struct diags *d)
{
    size_t tag = sizeof record_tag - 1;
    struct lock_record r = {.entry = {.line = line}};
    struct field f = {s + tag, s + n};
    const char *why = NULL;
    if (take_version(&f, &r.baseline) != 0 || take_char(&f, ' ') != 0)
        why = "bad baseline version";
    else
        why = parse_entry(f.p, (size_t)(f.end - f.p), &r.entry);
    const struct lock_record *twin =
        why ? NULL : find_record(lf, r.entry.version);
    if (why)
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "malformed squash record (%s): expected \"#squashed "
                 "BASELINE VERSION RAW-SHA256 CANONICAL-SHA256 NAME "
                 "STATEMENT-HASHES\"",
                 why);
    else if (twin)
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "version %lld is recorded as squashed twice (also on line "
                 "%u)",
                 (long long)r.entry.version, twin->entry.line);
    if (why || twin) {
        free(r.entry.name);
        free(r.entry.stmts);
        return;
    }
    lf->records =
        xrealloc(lf->records, (lf->n_records + 1) * sizeof *lf->records);
    lf->records[lf->n_records++] = r;
}

static const char retired_tag[] = "#retired ";

const struct lock_retired *lock_find_retired(const struct lock_file *lf,
                                             int64_t baseline)
{
    for (size_t i = 0; i < lf->n_retired; i++)
        if (lf->retired[i].baseline == baseline)
            return &lf->retired[i];
    return NULL;
}

/* "#retired BASELINE LAST": the archive of a baseline's originals was
 * removed (`migc squash --retire`). */
static void read_retired(struct lock_file *lf, const char *s, size_t n,
                         unsigned line, struct diags *d)
{
    struct lock_retired r = {.line = line};
    struct field f = {s + sizeof retired_tag - 1, s + n};
    if (take_version(&f, &r.baseline) != 0 || take_char(&f, ' ') != 0 ||
        take_version(&f, &r.last) != 0 || f.p != f.end) {
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "malformed retire record: expected \"#retired BASELINE "
                 "LAST-RELEASED-VERSION\"");
        return;
    }
    const struct lock_retired *twin = lock_find_retired(lf, r.baseline);
    if (twin) {
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "baseline %lld is recorded as retired twice (also on line "
                 "%u)",
                 (long long)r.baseline, twin->line);
        return;
    }
    lf->retired =
        xrealloc(lf->retired, (lf->n_retired + 1) * sizeof *lf->retired);
    lf->retired[lf->n_retired++] = r;
}

/* Offset of the last line: the final hash line when the file is intact. */
static size_t last_line_start(const char *bytes, size_t len)
{
    size_t end = len > 0 && bytes[len - 1] == '\n' ? len - 1 : len;
    while (end > 0 && bytes[end - 1] != '\n')
        end--;
    return end;
}

/* The final line must be "sha256 HASH" of every byte before it. */
static void verify_final(struct lock_file *lf, unsigned line, struct diags *d)
{
    const char *last = lf->bytes + lf->body_len;
    size_t n = lf->len - lf->body_len;
    if (n > 0 && last[n - 1] == '\n')
        n--;
    size_t tag = sizeof final_tag - 1;
    if (n != tag + HASH_HEX_LEN || memcmp(last, final_tag, tag) != 0) {
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "the lock file does not end with its \"sha256 HASH\" line "
                 "(truncated, or edited by hand?)");
        return;
    }
    char want[HASH_HEX_LEN + 1];
    hash_sha256_hex(lf->bytes, lf->body_len, want);
    if (memcmp(last + tag, want, HASH_HEX_LEN) != 0)
        diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
                 "the final hash does not match the lines above it: the "
                 "lock file was edited by hand or merged; restore it from "
                 "version control, then run `migc lock`");
}

/* Line endings must stay LF: a CR means a checkout converted the file. */
static int check_crlf(const struct lock_file *lf, struct diags *d)
{
    const char *cr = memchr(lf->bytes, '\r', lf->len);
    if (!cr)
        return 0;
    unsigned line = 1;
    for (const char *p = lf->bytes; p < cr; p++)
        line += *p == '\n';
    diag_add(d, lf->path, line, 1, DIAG_ERROR, DIAG_LOCK,
             "the lock file has CR LF line endings; it must stay byte-exact "
             "(mark it \"-text\" in .gitattributes)");
    return -1;
}

int lock_read(const char *path, struct lock_file *lf, struct diags *d)
{
    char *bytes;
    size_t len;
    if (source_read_all(path, &bytes, &len) != 0) {
        *lf = (struct lock_file){.path = xstrdup(path)};
        if (errno == ENOENT)
            return 0;
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO,
                 "cannot read lock file: %s", source_strerror(errno));
        return -1;
    }
    return lock_parse(path, bytes, len, lf, d);
}

int lock_parse(const char *path, char *bytes, size_t len, struct lock_file *lf,
               struct diags *d)
{
    *lf = (struct lock_file){
        .path = xstrdup(path), .exists = 1, .bytes = bytes, .len = len};
    if (check_crlf(lf, d) != 0)
        return -1;
    size_t errors = d->errors;
    lf->body_len = last_line_start(lf->bytes, lf->len);
    unsigned line = 1;
    for (size_t off = 0; off < lf->body_len; line++) {
        const char *s = lf->bytes + off;
        size_t n =
            (size_t)((const char *)memchr(s, '\n', lf->body_len - off) - s);
        if (s[0] != '#')
            read_entry(lf, s, n, line, d);
        else if (n >= sizeof record_tag - 1 &&
                 memcmp(s, record_tag, sizeof record_tag - 1) == 0)
            read_record(lf, s, n, line, d);
        else if (n >= sizeof retired_tag - 1 &&
                 memcmp(s, retired_tag, sizeof retired_tag - 1) == 0)
            read_retired(lf, s, n, line, d);
        off += n + 1;
    }
    verify_final(lf, line, d);
    return d->errors > errors ? -1 : 0;
}

/* --- writing ------------------------------------------------------------ */

static void write_entry(FILE *out, const struct model_migration *mm)
{
    fprintf(out, "%lld %s %s %s ", (long long)mm->file->version, mm->up.checksum,
            mm->up.canonical, mm->file->name);
    for (size_t i = 0; i < mm->up.n_stmts; i++)
        fprintf(out, "%s%.*s", i ? "," : "", LOCK_STMT_HEX_LEN,
                mm->up.stmts[i].canonical);
    fputc('\n', out);
}

/* A line break in a name would split its line; nothing else can. */
static int lockable(const struct model_migration *mm, struct diags *d)
{
    if (!strpbrk(mm->file->name, "\n\r"))
        return 1;
    diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_LOCK,
             "cannot lock a file name holding a line break; rename it");
    return 0;
}

/* The new lock: old body, new lines, final hash; NULL when a migration
 * cannot be locked. */
/* The locked entry on line `line` of the file, or NULL. */
static const struct lock_entry *entry_on_line(const struct lock_file *lf,
                                              unsigned line)
{
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].line == line)
            return &lf->entries[i];
    return NULL;
}

/* The old body without the lines of squashed versions. */
static void write_body(FILE *mem, const struct lock_file *lf,
                       const struct model *m, int squash, size_t *squashed)
{
    unsigned line = 1;
    for (size_t off = 0; off < lf->body_len; line++) {
        const char *s = lf->bytes + off;
        size_t n = (size_t)((const char *)memchr(s, '\n', lf->body_len - off) -
                            s) +
                   1;
        const struct lock_entry *e = entry_on_line(lf, line);
        if (squash && e && lock_squasher(lf, m, e->version))
            ++*squashed;
        else
            fwrite(s, 1, n, mem);
        off += n;
    }
}

/* The squash of baseline mm: a comment, then each locked line it
 * replaces, byte for byte, after its "#squashed BASELINE " tag. */
static void write_records(FILE *mem, const struct lock_file *lf,
                          const struct model *m,
                          const struct model_migration *mm)
{
    fprintf(mem, "# %lld squashes the released migrations %lld..%lld\n",
            (long long)mm->file->version, (long long)mm->squash_from,
            (long long)mm->squash_to);
    for (size_t i = 0; i < lf->n; i++) {
        const struct lock_entry *e = &lf->entries[i];
        if (lock_squasher(lf, m, e->version) != mm)
            continue;
        fprintf(mem, "%s%lld ", record_tag, (long long)mm->file->version);
        fwrite(lf->bytes + e->off, 1, e->len, mem);
    }
}

static char *render(const struct lock_file *lf, const struct model *m,
                    int squash, size_t *len, size_t *added, size_t *squashed,
                    struct diags *d)
{
    char *data = NULL;
    FILE *mem = open_memstream(&data, len);
    if (!mem) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    *added = *squashed = 0;
    if (lf->exists)
        write_body(mem, lf, m, squash, squashed);
    else
        fputs(header, mem);
    int ok = 1;
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if (lock_entry_of(lf, mm))
            continue;
        if (!lockable(mm, d))
            ok = 0;
        if (squash && (mm->flags & MIGC_MIGRATION_SQUASHES))
            write_records(mem, lf, m, mm);
        write_entry(mem, mm);
        ++*added;
    }
    if (fflush(mem) != 0) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex(data, *len, hex);
    fprintf(mem, "%s%s\n", final_tag, hex);
    if (fclose(mem) != 0) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    if (!ok) {
        free(data);
        return NULL;
    }
    return data;
}

int lock_write(const struct lock_file *lf, const struct model *m, int squash,
               size_t *added, size_t *squashed, struct diags *d)
{
    size_t len;
    char *data = render(lf, m, squash, &len, added, squashed, d);
    if (!data)
        return -1;
    int rc = 0;
    if (!lf->exists || len != lf->len || memcmp(data, lf->bytes, len) != 0)
        rc = atomic_write_file(lf->path, data, len, d);
    free(data);
    return rc;
}

int lock_write_retired(const struct lock_file *lf, int64_t baseline,
                       int64_t last, struct diags *d)
{
    char *record = xasprintf("%s%lld %lld\n", retired_tag,
                             (long long)baseline, (long long)last);
    size_t n = strlen(record);
    size_t len = lf->body_len + n + sizeof final_tag - 1 + HASH_HEX_LEN + 1;
    char *data = xmalloc(len + 1);
    memcpy(data, lf->bytes, lf->body_len);
    memcpy(data + lf->body_len, record, n);
    char hex[HASH_HEX_LEN + 1];
    hash_sha256_hex(data, lf->body_len + n, hex);
    snprintf(data + lf->body_len + n, len + 1 - lf->body_len - n, "%s%s\n",
             final_tag, hex);
    int rc = atomic_write_file(lf->path, data, len, d);
    free(data);
    free(record);
    return rc;
}

static int by_version(const void *a, const void *b)
{
    const struct lock_squashed *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

size_t lock_squashed(const struct lock_file *lf, const struct model *m,
                     struct lock_squashed **out)
{
    size_t n = 0;
    *out = NULL;
    if (lf->n_records + lf->n == 0)
        return 0;
    struct lock_squashed *list =
        xcalloc(lf->n_records + lf->n, sizeof *list);
    for (size_t i = 0; i < lf->n_records; i++) {
        const struct lock_record *r = &lf->records[i];
        list[n++] = (struct lock_squashed){r->entry.version, r->baseline,
                                           r->entry.name, r->entry.raw};
    }
    for (size_t i = 0; i < lf->n; i++) {
        const struct lock_entry *e = &lf->entries[i];
        const struct model_migration *b = lock_squasher(lf, m, e->version);
        if (b)
            list[n++] = (struct lock_squashed){e->version, b->file->version,
                                               e->name, e->raw};
    }
    if (n == 0) {
        free(list);
        return 0;
    }
    qsort(list, n, sizeof *list, by_version);
    *out = list;
    return n;
}

static void entry_free(struct lock_entry *e)
{
    free(e->name);
    free(e->stmts);
}

void lock_free(struct lock_file *lf)
{
    for (size_t i = 0; i < lf->n; i++)
        entry_free(&lf->entries[i]);
    for (size_t i = 0; i < lf->n_records; i++)
        entry_free(&lf->records[i].entry);
    free(lf->records);
    free(lf->retired);
    free(lf->entries);
    free(lf->bytes);
    free(lf->path);
    *lf = (struct lock_file){0};
}
