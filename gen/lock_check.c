/* lock_check.c: released migrations must not change ([immutable]) and new
 * ones must sort after them ([out-of-order]). */
#include "lock.h"

#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "xalloc.h"

/* The migration of that version, preferring the one of that name. */
static const struct model_migration *find_migration(const struct model *m,
                                                    const struct lock_entry *e)
{
    const struct model_migration *same_version = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if (mm->file->version != e->version)
            continue;
        if (strcmp(mm->file->name, e->name) == 0)
            return mm;
        if (!same_version)
            same_version = mm;
    }
    return same_version;
}

static int is_locked(const struct lock_file *lf, int64_t version)
{
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].version == version)
            return 1;
    return 0;
}

static const struct lock_entry *entry_at(const struct lock_file *lf,
                                         int64_t version)
{
    for (size_t i = 0; i < lf->n; i++)
        if (lf->entries[i].version == version)
            return &lf->entries[i];
    return NULL;
}

/* The lock file holds records "#squashed V ..." of a baseline V. */
static int has_records(const struct lock_file *lf, int64_t baseline)
{
    for (size_t i = 0; i < lf->n_records; i++)
        if (lf->records[i].baseline == baseline)
            return 1;
    return 0;
}

const struct lock_entry *lock_entry_of(const struct lock_file *lf,
                                       const struct model_migration *mm)
{
    const struct lock_entry *e = entry_at(lf, mm->file->version);
    if (!e || !(mm->flags & MIGC_MIGRATION_SQUASHES) ||
        strcmp(e->name, mm->file->name) == 0)
        return e;
    /* A baseline under another name than its version's line: that line is
     * a released migration the baseline took the version of (the seeds'
     * convention: 1..3 squashed into 1), until `migc lock --squash`
     * recorded it; after that, the baseline's own line, renamed. */
    return has_records(lf, mm->file->version) ? e : NULL;
}

static void report_gone(const struct lock_entry *e,
                        const struct model_migration *now, const char *dir,
                        struct diags *d)
{
    char *path = xasprintf("%s/%s", dir, e->name);
    if (now)
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IMMUTABLE,
                 "released migration %lld (%s) was removed or renamed "
                 "(version %lld is now %s); the lock file still lists it",
                 (long long)e->version, e->name, (long long)e->version,
                 now->file->name);
    else
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IMMUTABLE,
                 "released migration %lld (%s) was removed or renamed; the "
                 "lock file still lists it",
                 (long long)e->version, e->name);
    free(path);
}

static int stmt_matches(const struct model_statement *s, const char *locked)
{
    return strncmp(s->canonical, locked, LOCK_STMT_HEX_LEN) == 0;
}

void lock_note_statements(const struct lock_file *lf, const struct model *m,
                          size_t i, struct lock_note *n)
{
    const struct model_migration *mm = &m->migrations[i];
    const struct lock_entry *e = NULL;
    for (size_t k = 0; k < lf->n && !e; k++)
        if (lf->entries[k].version == mm->file->version &&
            strcmp(lf->entries[k].name, mm->file->name) == 0)
            e = &lf->entries[k];
    if (!e || !mm->up.stmts)
        return;
    size_t k = 0;
    while (k < mm->up.n_stmts && k < e->n_stmts &&
           stmt_matches(&mm->up.stmts[k], e->stmts[k]))
        k++;
    *n = (struct lock_note){.kind = LOCK_DIFF_NONE};
    if (k < mm->up.n_stmts) {
        n->kind = k < e->n_stmts ? LOCK_DIFF_CHANGED : LOCK_DIFF_ADDED;
        n->line = mm->up.stmts[k].line;
        n->col = mm->up.stmts[k].col;
    } else if (k < e->n_stmts && k > 0) {
        n->kind = LOCK_DIFF_REMOVED;
        const struct model_statement *last = &mm->up.stmts[k - 1];
        source_position(mm->up.src, last->off + last->len, &n->line, &n->col);
    }
}

/* The error of a canonical change, at the first statement that differs from
 * the locked list, or after the last one when statements were removed (as
 * lock_note_statements found while they were at hand). */
static void report_edit(const struct lock_entry *e,
                        const struct model_migration *mm,
                        const struct lock_note *n, struct diags *d)
{
    const char *what =
        n->kind == LOCK_DIFF_CHANGED
            ? "was edited: this statement differs from the released one"
        : n->kind == LOCK_DIFF_ADDED
            ? "was edited: this statement was added after the released ones"
        : n->kind == LOCK_DIFF_REMOVED
            ? "was edited: a released statement after this point was removed"
            : "was edited";
    diag_add(d, mm->file->path, n->line, n->col, DIAG_ERROR, DIAG_IMMUTABLE,
             "released migration %lld (%s) %s; add a new migration instead",
             (long long)e->version, e->name, what);
}

static void check_content(const struct lock_entry *e,
                          const struct model_migration *mm,
                          const struct lock_note *n, struct diags *d)
{
    /* Unreadable or badly encoded: reported already, nothing to compare. */
    if (!mm->up.checksum[0] || strcmp(mm->up.checksum, e->raw) == 0)
        return;
    if (!mm->up.canonical[0])
        diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_IMMUTABLE,
                 "released migration %lld (%s) was edited and no longer "
                 "parses; add a new migration instead",
                 (long long)e->version, e->name);
    else if (strcmp(mm->up.canonical, e->canonical) == 0)
        diag_add(d, mm->file->path, 0, 0, DIAG_WARNING, DIAG_IMMUTABLE,
                 "released migration %lld (%s) changed only in whitespace, "
                 "line endings, comments or keyword case; its checksum "
                 "changes too, so databases that applied it will report "
                 "drift",
                 (long long)e->version, e->name);
    else
        report_edit(e, mm, n, d);
}

static const struct lock_entry *newest(const struct lock_file *lf)
{
    const struct lock_entry *top = NULL;
    for (size_t i = 0; i < lf->n; i++)
        if (!top || lf->entries[i].version > top->version)
            top = &lf->entries[i];
    return top;
}

static void check_order(const struct lock_file *lf, const struct model *m,
                        struct diags *d)
{
    const struct lock_entry *top = newest(lf);
    for (size_t i = 0; top && i < m->n; i++) {
        const struct migration_file *f = m->migrations[i].file;
        /* a baseline sorts among the released ones: check_baselines */
        if (m->migrations[i].flags & MIGC_MIGRATION_SQUASHES)
            continue;
        if (f->version < top->version && !is_locked(lf, f->version))
            diag_add(d, f->path, 0, 0, DIAG_ERROR, DIAG_OUT_OF_ORDER,
                     "version %lld sorts before %lld, the newest released "
                     "migration (%s); two branches were merged? give it a "
                     "version after %lld",
                     (long long)f->version, (long long)top->version, top->name,
                     (long long)top->version);
    }
}

const struct model_migration *lock_squasher(const struct lock_file *lf,
                                            const struct model *m,
                                            int64_t version)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if ((mm->flags & MIGC_MIGRATION_SQUASHES) &&
            !lock_entry_of(lf, mm) && mm->squash_from <= version &&
            version <= mm->squash_to)
            return mm;
    }
    return NULL;
}

/* A locked migration inside an unlocked baseline's range. */
static void check_squashed(const struct lock_entry *e,
                           const struct model_migration *now,
                           const struct model_migration *base, const char *dir,
                           int squash, struct diags *d)
{
    char *path = xasprintf("%s/%s", dir, e->name);
    if (now == base) /* the baseline took the version of the released one */
        now = NULL;
    if (now)
        diag_add(d, now->file->path, 0, 0, DIAG_ERROR, DIAG_IMMUTABLE,
                 "baseline %s squashes released migration %lld (%s), which "
                 "is still here: delete the migrations it replaces",
                 base->file->name, (long long)e->version, e->name);
    else if (!squash)
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IMMUTABLE,
                 "released migration %lld (%s) was removed: baseline %s "
                 "declares `-- migc:squashes %lld..%lld`; run `migc lock "
                 "--squash` to record the baseline in place of the released "
                 "migrations it replaces",
                 (long long)e->version, e->name, base->file->name,
                 (long long)base->squash_from, (long long)base->squash_to);
    free(path);
}

/* A version released outside a baseline's range, and its name: a locked
 * line, or a record of one an earlier baseline replaced (databases hold
 * it in their ledgers all the same). */
struct released {
    int64_t version;
    const char *name;
};

/* The released versions nearest around baseline mm's range: the last
 * before FROM, the first after TO, and the one at mm's own version
 * outside the range (.name NULL: none). Returns the locked lines inside
 * the range. */
static size_t around(const struct lock_file *lf,
                     const struct model_migration *mm, struct released *prev,
                     struct released *next, struct released *at)
{
    size_t in_range = 0;
    *prev = *next = *at = (struct released){0, NULL};
    for (size_t k = 0; k < lf->n + lf->n_records; k++) {
        const struct lock_entry *e = k < lf->n
                                         ? &lf->entries[k]
                                         : &lf->records[k - lf->n].entry;
        struct released r = {e->version, e->name};
        if (e->version >= mm->squash_from && e->version <= mm->squash_to) {
            in_range += k < lf->n;
            continue;
        }
        if (e->version == mm->file->version)
            *at = r;
        if (e->version < mm->squash_from &&
            (!prev->name || e->version > prev->version))
            *prev = r;
        if (e->version > mm->squash_to &&
            (!next->name || e->version < next->version))
            *next = r;
    }
    return in_range;
}

/* Where a baseline may go: "after P and before N" and the like. */
static char *allowed(const struct released *prev, const struct released *next)
{
    if (prev->name && next->name)
        return xasprintf("a version after %lld and before %lld",
                         (long long)prev->version, (long long)next->version);
    if (next->name)
        return xasprintf("a version before %lld", (long long)next->version);
    return xasprintf("a version after %lld", (long long)prev->version);
}

/* Every unlocked baseline must replace released migrations and take a
 * version no database holds for something else: after the last released
 * migration before its range and before the first one after it; FROM
 * itself, a free version in between, or one before FROM
 * (docs/ledger.md "Baselines"). */
static void check_baselines(const struct lock_file *lf, const struct model *m,
                            struct diags *d)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct model_migration *mm = &m->migrations[i];
        if (!(mm->flags & MIGC_MIGRATION_SQUASHES) || lock_entry_of(lf, mm))
            continue;
        struct released prev, next, at;
        long long v = (long long)mm->file->version;
        if (around(lf, mm, &prev, &next, &at) == 0) {
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_DIRECTIVE,
                     "`-- migc:squashes %lld..%lld`: the lock file lists no "
                     "released migration in that range",
                     (long long)mm->squash_from, (long long)mm->squash_to);
            continue;
        }
        char *where = allowed(&prev, &next);
        if (at.name)
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_OUT_OF_ORDER,
                     "baseline %lld takes the version of released migration "
                     "%lld (%s), outside the range %lld..%lld it squashes: "
                     "databases that applied it would take it for the "
                     "baseline; give the baseline %s, such as %lld, the "
                     "first of its range",
                     v, v, at.name, (long long)mm->squash_from,
                     (long long)mm->squash_to, where,
                     (long long)mm->squash_from);
        else if (next.name && mm->file->version > next.version)
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_OUT_OF_ORDER,
                     "baseline %lld must sort before %lld (%s), the released "
                     "migration after the range it squashes",
                     v, (long long)next.version, next.name);
        else if (prev.name && mm->file->version < prev.version)
            diag_add(d, mm->file->path, 0, 0, DIAG_ERROR, DIAG_OUT_OF_ORDER,
                     "baseline %lld must sort after %lld (%s), the released "
                     "migration before the range it squashes",
                     v, (long long)prev.version, prev.name);
        free(where);
    }
}

void lock_check(const struct lock_file *lf, const struct model *m,
                const struct lock_note *notes, const char *dir, int squash,
                struct diags *d)
{
    for (size_t i = 0; i < lf->n; i++) {
        const struct lock_entry *e = &lf->entries[i];
        const struct model_migration *mm = find_migration(m, e);
        const struct model_migration *base = lock_squasher(lf, m, e->version);
        if (base)
            check_squashed(e, mm, base, dir, squash, d);
        else if (!mm || strcmp(mm->file->name, e->name) != 0)
            report_gone(e, mm, dir, d);
        else
            check_content(e, mm, &notes[mm - m->migrations], d);
    }
    if (lf->exists) /* without a lock nothing was released to replace */
        check_baselines(lf, m, d);
    check_order(lf, m, d);
}
