/* discover_pop.c: read a gobuffalo/pop or ory/popx migrations directory
 * as pop does on PostgreSQL: one script per version and direction. */
#include <stdlib.h>
#include <string.h>

#include "discover_int.h"
#include "xalloc.h"

/* What pop's file name pattern, ^(\d+)_([^.]+)(\.[a-z0-9]+)?(|\.autocommit)
 * \.(up|down)\.(sql|fizz)$, reads from a name. */
struct pop_name {
    size_t version_len;
    size_t desc_off, desc_len;
    const char *dialect; /* into the name; NULL: none ("all") */
    size_t dialect_len;
    int autocommit, down, fizz;
};

static int lower_alnum(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

static int is_word(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* 0 when pop's pattern reads name. Between the name and the direction
 * come at most two parts: a dialect, then ".autocommit". A lone
 * ".autocommit" is popx's dialect-less autocommit script, as popx's own
 * tests read it (V_name.autocommit.up.sql). */
static int pop_parse(const char *name, struct pop_name *p)
{
    *p = (struct pop_name){0};
    size_t v = strspn(name, "0123456789");
    if (v == 0 || name[v] != '_')
        return -1;
    p->version_len = v;
    p->desc_off = v + 1;
    p->desc_len = strcspn(name + p->desc_off, ".");
    if (p->desc_len == 0)
        return -1;
    const char *part[5];
    size_t len[5], n = 0;
    for (const char *c = name + p->desc_off + p->desc_len; *c == '.';) {
        if (n == 5)
            return -1;
        part[n] = ++c;
        len[n] = strcspn(c, ".");
        c += len[n++];
    }
    if (n < 2 || n > 4)
        return -1;
    if (is_word(part[n - 1], len[n - 1], "fizz"))
        p->fizz = 1;
    else if (!is_word(part[n - 1], len[n - 1], "sql"))
        return -1;
    if (is_word(part[n - 2], len[n - 2], "down"))
        p->down = 1;
    else if (!is_word(part[n - 2], len[n - 2], "up"))
        return -1;
    if (n == 4) {
        if (!is_word(part[1], len[1], "autocommit"))
            return -1;
        p->autocommit = 1;
    } else if (n == 3 && is_word(part[0], len[0], "autocommit")) {
        p->autocommit = 1;
        return 0;
    }
    if (n >= 3) {
        if (!lower_alnum(part[0], len[0]))
            return -1;
        p->dialect = part[0];
        p->dialect_len = len[0];
    }
    return 0;
}

enum pop_dialect { POP_ALL, POP_POSTGRES, POP_OTHER, POP_UNKNOWN };

/* pop's dialects and their synonyms (pop.CanonicalDialect) */
static enum pop_dialect dialect_of(const struct pop_name *p)
{
    static const char *const postgres[] = {"postgres", "postgresql", "pg",
                                           "pgx"};
    static const char *const other[] = {"cockroach", "cockroachdb", "crdb",
                                        "mysql",     "mariadb",     "sqlite3",
                                        "sqlite",    "mssql"};
    if (!p->dialect)
        return POP_ALL;
    for (size_t i = 0; i < sizeof postgres / sizeof *postgres; i++)
        if (is_word(p->dialect, p->dialect_len, postgres[i]))
            return POP_POSTGRES;
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (is_word(p->dialect, p->dialect_len, other[i]))
            return POP_OTHER;
    return POP_UNKNOWN;
}

/* Files counted for one report. */
struct tally {
    size_t n;
    char *first; /* a path, owned */
};

static void tally_add(struct tally *t, struct entry *e)
{
    if (t->n++ == 0) {
        t->first = e->path;
        e->path = NULL;
    }
}

/* Whether a and b (pop names) carry one version, as text. */
static int same_version(const struct entry *a, const struct entry *b)
{
    size_t la = strspn(a->name, "0123456789");
    size_t lb = strspn(b->name, "0123456789");
    return la == lb && memcmp(a->name, b->name, la) == 0;
}

static void report(const struct tally *fizz, const struct tally *ignored,
                   struct diags *d)
{
    if (fizz->n)
        diag_add(d, fizz->first, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "%zu fizz migration%s (such as this one): fizz is pop's "
                 "own migration language, which pop translates to SQL when "
                 "it runs them; migc reads SQL only and cannot translate "
                 "it: write %s as VERSION_name.up.sql and .down.sql",
                 fizz->n, fizz->n == 1 ? "" : "s",
                 fizz->n == 1 ? "it" : "them");
    if (ignored->n)
        diag_add(d, ignored->first, 0, 0, DIAG_WARNING, DIAG_LAYOUT,
                 "pop ignores %zu file%s (such as this one) whose dialect "
                 "it does not know or whose name its pattern does not "
                 "read (VERSION_name[.DIALECT][.autocommit].up.sql, the "
                 "name without dots); migc ignores %s too",
                 ignored->n, ignored->n == 1 ? "" : "s",
                 ignored->n == 1 ? "it" : "them");
}

/* pop passes every SQL file through Go's text/template with the
 * connection's details before it runs it ({{ index .Options "Namespace" }}
 * becomes a schema name): migc does not know those values, so a file with
 * template actions is not the SQL that runs. One error for all of them;
 * the files are left out rather than each failing to parse. */
static void drop_templates(struct entries *es, const struct discover_fs *fs,
                           struct diags *d)
{
    struct tally t = {0};
    size_t kept = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        char *bytes;
        size_t len;
        int templated = 0;
        if (fs->read_all(fs->ctx, e->path, &bytes, &len) == 0) {
            for (size_t k = 0; k + 1 < len && !templated; k++)
                templated = bytes[k] == '{' && bytes[k + 1] == '{';
            free(bytes);
        } /* unreadable: reported when the model loads it */
        if (templated) {
            tally_add(&t, e);
            entry_free(e);
            continue;
        }
        es->items[kept++] = *e;
    }
    es->n = kept;
    if (t.n)
        diag_add(d, t.first, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "%zu pop migration%s (such as this one) hold%s Go template "
                 "actions ({{ ... }}), which pop fills in from its "
                 "connection's details before it runs the SQL; migc does "
                 "not know their values and cannot read %s",
                 t.n, t.n == 1 ? "" : "s", t.n == 1 ? "s" : "",
                 t.n == 1 ? "it" : "them");
    free(t.first);
}

void settle_pop(struct entries *es, const struct discover_fs *fs,
                struct diags *d)
{
    struct tally fizz = {0}, ignored = {0};
    char *specific = xcalloc(es->n ? es->n : 1, 1); /* a .postgres. file */
    size_t kept = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        struct pop_name p;
        enum pop_dialect dl = POP_UNKNOWN;
        int ok = pop_parse(e->name, &p) == 0;
        if (ok)
            dl = dialect_of(&p);
        if (ok && p.fizz)
            tally_add(&fizz, e);
        else if (!ok || dl == POP_UNKNOWN)
            tally_add(&ignored, e);
        if (!ok || p.fizz || dl == POP_UNKNOWN || dl == POP_OTHER) {
            entry_free(e); /* another database's script: not run here */
            continue;
        }
        e->down = p.down;
        free(e->description);
        e->description = xstrndup(e->name + p.desc_off, p.desc_len);
        if (p.autocommit)
            e->flags |= p.down ? MIGRATION_FILE_DOWN_NO_TRANSACTION
                               : MIGRATION_FILE_UP_NO_TRANSACTION;
        specific[kept] = dl == POP_POSTGRES;
        es->items[kept++] = *e;
    }
    es->n = kept;
    /* For each version and direction the postgres script replaces the
     * dialect-less one (popx SortAndFilter; pop runs the postgres one first
     * and then skips the version as applied). */
    kept = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        int replaced = 0;
        for (size_t k = 0; k < es->n && !specific[i] && !replaced; k++)
            replaced = specific[k] && es->items[k].down == e->down &&
                       same_version(&es->items[k], e);
        if (replaced) {
            entry_free(e);
            continue;
        }
        es->items[kept++] = *e;
    }
    es->n = kept;
    free(specific);
    report(&fizz, &ignored, d);
    free(fizz.first);
    free(ignored.first);
    drop_templates(es, fs, d);
}

/* pop compares versions as text (strings.Compare), migc as numbers. They
 * agree while the versions have one number of digits, as pop writes them
 * (14-digit time stamps). */
void check_pop_order(const struct migration_list *l, struct diags *d)
{
    for (size_t i = 1; i < l->n; i++) {
        const char *a = l->files[i - 1].name, *b = l->files[i].name;
        size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
        int c = memcmp(a, b, la < lb ? la : lb);
        if (c > 0 || (c == 0 && la > lb)) {
            diag_add(d, l->files[i - 1].path, 0, 0, DIAG_ERROR, DIAG_NAMING,
                     "pop applies %s before this migration (it orders "
                     "versions as text), but its version is the larger "
                     "number; migc orders versions as numbers: give the "
                     "versions one number of digits",
                     l->files[i].path);
            return;
        }
    }
}
