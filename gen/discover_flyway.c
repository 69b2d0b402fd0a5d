/* discover_flyway.c: read a Flyway migrations directory as flyway-core
 * reads it on PostgreSQL: the V and U scripts of the directory and of its
 * sub-folders, their versions and .sql.conf files, and what migc refuses. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "discover_int.h"
#include "names.h"
#include "source.h"
#include "xalloc.h"

/* Sub-folder levels read: a folder linked into itself ends here. */
#define FLYWAY_DEPTH 32

/* Files counted for one report: how many, and the first one's path. */
struct tally {
    size_t n;
    char *first;
};

static void tally_add(struct tally *t, const char *path)
{
    if (t->n++ == 0)
        t->first = xstrdup(path);
}

/* What settle_flyway refuses, one error each for the directory. */
struct refusals {
    struct tally repeatable, baseline, callback, wide, placeholder, bad;
    const char *wide_why; /* the first too-wide version's reason */
};

static int is_flyway_file(const struct discover_fs *fs, const char *path,
                          const char *name)
{
    struct name_parts p;
    return name_classify(name, &p) == NAME_FLYWAY &&
           !fs->is_dir(fs->ctx, path);
}

/* Whether folder (rel: its path within dir) holds a Flyway name, at any
 * depth. */
static int holds_flyway(const struct discover_fs *fs, const char *folder,
                        int depth)
{
    char **names;
    size_t n;
    if (depth > FLYWAY_DEPTH || !fs->list ||
        fs->list(fs->ctx, folder, &names, &n) != 0)
        return 0;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", folder, names[i]);
        if (!found)
            found = is_flyway_file(fs, path, names[i]) ||
                    (fs->is_dir(fs->ctx, path) &&
                     holds_flyway(fs, path, depth + 1));
        free(path);
        free(names[i]);
    }
    free(names);
    return found;
}

int flyway_below(const struct discover_fs *fs, const char *dir,
                 char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        int found = fs->is_dir(fs->ctx, path) && holds_flyway(fs, path, 1);
        free(path);
        if (found)
            return 1;
    }
    return 0;
}

/* The files of folder (rel within dir): Flyway's names become entries;
 * another .sql file is one Flyway does not run (rf->bad). */
static void scan_folder(struct entries *es, const struct discover_fs *fs,
                        const char *dir, const char *rel, int depth,
                        struct refusals *rf, struct diags *d)
{
    char *folder = xasprintf("%s/%s", dir, rel);
    char **names;
    size_t n;
    if (depth > FLYWAY_DEPTH) {
        diag_add(d, folder, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "more than %d levels of sub-folders: migc reads no deeper",
                 FLYWAY_DEPTH);
        free(folder);
        return;
    }
    if (fs->list(fs->ctx, folder, &names, &n) != 0) {
        diag_add(d, folder, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 source_strerror(errno));
        free(folder);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *sub = xasprintf("%s/%s", rel, names[i]);
        char *path = xasprintf("%s/%s", dir, sub);
        struct name_parts p;
        enum name_kind kind = name_classify(names[i], &p);
        if (fs->is_dir(fs->ctx, path)) {
            scan_folder(es, fs, dir, sub, depth + 1, rf, d);
        } else if (kind != NAME_OTHER && !utf8_valid(sub)) {
            diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_ENCODING,
                     "the name is not valid UTF-8: the ledger records it as "
                     "text, which a UTF-8 database refuses; rename it");
        } else if (kind == NAME_FLYWAY) {
            struct entry *e = add_entry(es);
            e->family = LAYOUT_FLYWAY;
            e->name = sub;
            e->path = path;
            sub = path = NULL;
        } else if (kind != NAME_OTHER) {
            tally_add(&rf->bad, path);
        }
        free(sub);
        free(path);
        free(names[i]);
    }
    free(names);
    free(folder);
}

/* Flyway's version: digits, parts separated by '.' or '_', compared part
 * by part as numbers, a missing part 0, so trailing zero parts do not
 * count (1.0 is 1). migc's version: MAJOR * 10^4 + MINOR * 100 + PATCH,
 * which orders as Flyway does while MINOR and PATCH are at most 99 and
 * there are at most three parts. 0, or -1 with *why set. */
#define FLYWAY_PART_LIMIT 99

static int flyway_number(const char *v, size_t len, int64_t *out,
                         const char **why)
{
    int64_t part[3] = {0};
    size_t at = 0;
    for (const char *c = v, *end = v + len; c < end; at++) {
        int64_t x = 0;
        int huge = 0;
        for (; c < end && *c >= '0' && *c <= '9'; c++) {
            int dgt = *c - '0';
            if (x > (INT64_MAX - dgt) / 10)
                huge = 1;
            else
                x = x * 10 + dgt;
        }
        c += c < end; /* the separator */
        if (x == 0 && !huge)
            continue; /* zero parts count only before a non-zero one */
        if (at >= 3) {
            *why = "it has more than three parts";
            return -1;
        }
        if (huge || (at > 0 && x > FLYWAY_PART_LIMIT)) {
            *why = at == 0 ? "its first part does not fit"
                           : "a part after the first is over 99";
            return -1;
        }
        part[at] = x;
    }
    if (part[0] > (INT64_MAX - 9999) / 10000) {
        *why = "its first part does not fit";
        return -1;
    }
    *out = part[0] * 10000 + part[1] * 100 + part[2];
    return 0;
}

/* Java properties, as Flyway reads a script's configuration file. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\f')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int conf_bool(const char *value, int *out)
{
    if (strcasecmp(value, "true") == 0)
        return *out = 1, 0;
    if (strcasecmp(value, "false") == 0)
        return *out = 0, 0;
    return -1;
}

/* One key = value line of path (line lineno). */
static void conf_setting(const char *path, int lineno, const char *key,
                         const char *value, struct entry *e,
                         int *placeholders, struct diags *d)
{
    int b = 0;
    unsigned off = e->down ? MIGRATION_FILE_DOWN_NO_TRANSACTION
                           : MIGRATION_FILE_UP_NO_TRANSACTION;
    unsigned declared = e->down ? MIGRATION_FILE_DOWN_TXN_DECLARED
                                : MIGRATION_FILE_UP_TXN_DECLARED;
    if (strcmp(key, "executeInTransaction") == 0 ||
        strcmp(key, "placeholderReplacement") == 0) {
        if (conf_bool(value, &b) != 0) {
            diag_add(d, path, lineno, 1, DIAG_ERROR, DIAG_LAYOUT,
                     "%s must be true or false (Flyway refuses '%s')", key,
                     value);
            return;
        }
        if (key[0] == 'p')
            *placeholders = b;
        else
            e->flags = (e->flags & ~off) | declared | (b ? 0 : off);
    } else if (strcmp(key, "encoding") == 0) {
        if (strcasecmp(value, "UTF-8") != 0 && strcasecmp(value, "UTF8") != 0)
            diag_add(d, path, lineno, 1, DIAG_ERROR, DIAG_LAYOUT,
                     "encoding %s: migc reads migrations as UTF-8 only; "
                     "convert the script to UTF-8 and remove the setting",
                     value);
    } else {
        diag_add(d, path, lineno, 1, DIAG_ERROR, DIAG_LAYOUT,
                 "the script setting %s is not one migc reads (it reads "
                 "executeInTransaction, placeholderReplacement and "
                 "encoding); %s",
                 key,
                 strcmp(key, "shouldExecute") == 0
                     ? "migc runs every migration: remove it"
                     : "remove it");
    }
}

/* path + ".conf": executeInTransaction, placeholderReplacement, encoding.
 * *placeholders: whether Flyway replaces placeholders in the script. */
static void read_conf(const struct discover_fs *fs, struct entry *e,
                      int *placeholders, struct diags *d)
{
    char *path = xasprintf("%s.conf", e->path);
    char *bytes;
    size_t len;
    if (!fs->is_file(fs->ctx, path)) {
        free(path);
        return;
    }
    if (fs->read_all(fs->ctx, path, &bytes, &len) != 0) {
        diag_add(d, path, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 source_strerror(errno));
        free(path);
        return;
    }
    int lineno = 0;
    for (char *line = bytes; line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *s = trim(line);
        if (*s && *s != '#' && *s != '!') {
            size_t k = strcspn(s, "=: \t");
            char *value = s + k;
            if (*value) {
                *value++ = '\0';
                value = trim(value);
                if (*value == '=' || *value == ':')
                    value = trim(value + 1);
            }
            conf_setting(path, lineno, s, value, e, placeholders, d);
        }
        line = next;
    }
    free(bytes);
    free(path);
}

/* Whether the script holds a placeholder, ${ then } (Flyway replaces
 * them everywhere: statements, strings, comments). */
static int has_placeholder(const struct discover_fs *fs, const char *path)
{
    char *bytes;
    size_t len;
    if (fs->read_all(fs->ctx, path, &bytes, &len) != 0)
        return 0; /* unreadable: reported when the model loads it */
    int found = 0;
    for (size_t k = 0; k + 1 < len && !found; k++)
        found = bytes[k] == '$' && bytes[k + 1] == '{' &&
                memchr(bytes + k + 2, '}', len - k - 2) != NULL;
    free(bytes);
    return found;
}

/* One entry: 1 to keep it (a V or U script with its version, description,
 * settings), 0 when it is refused (counted in rf). */
static int settle_entry(struct entry *e, const struct discover_fs *fs,
                        struct refusals *rf, struct diags *d)
{
    const char *slash = strrchr(e->name, '/');
    const char *base = slash ? slash + 1 : e->name;
    struct name_parts p;
    name_classify(base, &p);
    char prefix = base[0];
    if (p.version_off == 0) {
        tally_add(&rf->callback, e->path);
        return 0;
    }
    if (prefix == 'R') {
        tally_add(&rf->repeatable, e->path);
        return 0;
    }
    if (prefix == 'B') {
        tally_add(&rf->baseline, e->path);
        return 0;
    }
    e->down = prefix == 'U';
    const char *why = NULL;
    if (flyway_number(base + p.version_off, p.version_len, &e->version,
                      &why) != 0) {
        if (rf->wide.n == 0)
            rf->wide_why = why;
        tally_add(&rf->wide, e->path);
        return 0;
    }
    e->version_len = p.version_len;
    e->flyway_version = xstrndup(base + p.version_off, p.version_len);
    for (char *c = e->flyway_version; *c; c++)
        if (*c == '_')
            *c = '.';
    free(e->description);
    e->description = xstrndup(base + p.desc_off, p.desc_len);
    for (char *c = e->description; *c; c++)
        if (*c == '_')
            *c = ' ';
    int placeholders = 1;
    read_conf(fs, e, &placeholders, d);
    if (placeholders && has_placeholder(fs, e->path)) {
        tally_add(&rf->placeholder, e->path);
        return 0;
    }
    return 1;
}

static void refuse(const struct tally *t, const char *what,
                   const char *why, struct diags *d)
{
    if (!t->n)
        return;
    char more[48] = "";
    if (t->n > 1)
        snprintf(more, sizeof more, " and %zu more", t->n - 1);
    diag_add(d, t->first, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
             "%zu Flyway %s%s (this one%s): %s", t->n, what,
             t->n == 1 ? "" : "s", more, why);
}

static void report(const struct refusals *rf, struct diags *d)
{
    refuse(&rf->repeatable, "repeatable migration",
           "migc has no repeatable migrations (Flyway reruns R__ scripts "
           "whenever their checksum changes); make each a versioned "
           "migration (V<version>__<description>.sql)", d);
    refuse(&rf->baseline, "baseline migration",
           "migc does not read Flyway's baseline migrations (B scripts "
           "that replace the versions up to theirs on a new database); "
           "migc's own baselines are written by `migc squash`", d);
    refuse(&rf->callback, "callback script",
           "migc runs no callbacks (scripts Flyway runs around its "
           "commands, such as beforeMigrate.sql); move what they do into "
           "versioned migrations", d);
    if (rf->placeholder.n)
        diag_add(d, rf->placeholder.first, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "%zu Flyway migration%s (such as this one) hold%s "
                 "placeholders (${...}), which Flyway replaces with values "
                 "from its configuration before it runs the SQL; migc does "
                 "not know their values and cannot read %s (a script's "
                 ".sql.conf with placeholderReplacement=false says it has "
                 "none)",
                 rf->placeholder.n, rf->placeholder.n == 1 ? "" : "s",
                 rf->placeholder.n == 1 ? "s" : "",
                 rf->placeholder.n == 1 ? "it" : "them");
    if (rf->wide.n) {
        char more[96] = "";
        if (rf->wide.n > 1)
            snprintf(more, sizeof more, ", nor %s of %zu more file%s",
                     rf->wide.n == 2 ? "does the version" : "do the versions",
                     rf->wide.n - 1, rf->wide.n == 2 ? "" : "s");
        diag_add(d, rf->wide.first, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "this Flyway version does not fit migc's 64-bit version "
                 "(%s)%s: migc numbers a version MAJOR[.MINOR[.PATCH]] "
                 "(trailing zero parts left out) as MAJOR*10000 + "
                 "MINOR*100 + PATCH, so MINOR and PATCH must be at most 99 "
                 "and MAJOR at most 922337203685476; rename %s",
                 rf->wide_why, more, rf->wide.n == 1 ? "it" : "them");
    }
    if (rf->bad.n)
        diag_add(d, rf->bad.first, 0, 0, DIAG_ERROR, DIAG_NAMING,
                 "%zu .sql file%s in sub-folders (such as this one) %s no "
                 "Flyway migration name (V<version>__<description>.sql): "
                 "Flyway does not run %s; rename or move %s",
                 rf->bad.n, rf->bad.n == 1 ? "" : "s",
                 rf->bad.n == 1 ? "has" : "have",
                 rf->bad.n == 1 ? "it" : "them",
                 rf->bad.n == 1 ? "it" : "them");
}

void settle_flyway(struct entries *es, const struct discover_fs *fs,
                   const char *dir, char *const *names, size_t n,
                   struct diags *d)
{
    struct refusals rf = {0};
    for (size_t i = 0; i < n && fs->list; i++) {
        char *path = xasprintf("%s/%s", dir, names[i]);
        if (fs->is_dir(fs->ctx, path))
            scan_folder(es, fs, dir, names[i], 1, &rf, d);
        free(path);
    }
    size_t kept = 0;
    for (size_t i = 0; i < es->n; i++) {
        struct entry *e = &es->items[i];
        if (settle_entry(e, fs, &rf, d))
            es->items[kept++] = *e;
        else
            entry_free(e);
    }
    es->n = kept;
    report(&rf, d);
    free(rf.repeatable.first);
    free(rf.baseline.first);
    free(rf.callback.first);
    free(rf.wide.first);
    free(rf.placeholder.first);
    free(rf.bad.first);
}
