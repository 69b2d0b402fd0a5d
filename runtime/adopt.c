/* adopt.c: `adopt` (docs/adopting.md): map another tool's ledger rows to
 * the embedded migrations (or a baseline's carried originals) by the
 * tool's own identity, print the plan, and unless --dry-run write migc's
 * ledger (adopt_write.c). Nothing is written until every row is proven. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adopt.h"

/* Where adopt prints: stdout, or stderr when stdout holds a JSON document
 * alone (up --adopt --format=json). */
static FILE *adopt_out(const struct cli *c)
{
    return c->format == CLI_JSON ? stderr : stdout;
}

/* An embedded migration or carried original a row may map to. */
struct cand {
    const struct migc_migration *m;
    int64_t baseline; /* an original: its baseline's version; else 0 */
    const struct migc_foreign *fx; /* format 6: stem and digests, or NULL */
    const struct migc_flyway *fw;  /* format 7, Flyway's layout, or NULL */
    char stem[256]; /* file name without .sql etc.; a folder's name */
    char vstr[64];  /* its leading digits, dashes dropped */
    const struct adopt_row *row; /* the row it maps from, or NULL */
};

struct mapping {
    struct cand *c;
    size_t n;
    size_t n_ahead; /* rows newer than every migration: left out */
    int64_t max_version;
    const char *max_stem;
    const char *max_fw; /* the newest Flyway version */
    size_t n_baseline;  /* adopted through Flyway's baseline */
    size_t n_repeatable; /* Flyway's repeatable rows, not adopted */
};

/* The name a name-keyed tool knows: the folder of a folder layout
 * (diesel, prisma), else the file name without its extension. */
static void stem_of(const char *name, char *out, size_t size)
{
    const char *slash = strchr(name, '/');
    size_t n = slash ? (size_t)(slash - name) : strlen(name);
    static const char *const suffixes[] = {".up.sql", ".do.sql", ".sql"};
    for (size_t i = 0; !slash && i < 3; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && strcmp(name + n - k, suffixes[i]) == 0) {
            n -= k;
            break;
        }
    }
    snprintf(out, size, "%.*s", (int)n, name);
}

static void version_string(const char *stem, char *out, size_t size)
{
    size_t at = 0;
    for (const char *p = stem; (*p >= '0' && *p <= '9') || *p == '-'; p++)
        if (*p != '-' && at + 1 < size)
            out[at++] = *p;
    out[at] = '\0';
}

static int64_t baseline_of(const struct migc_schema *s, int64_t version)
{
    for (size_t i = 0; s->format >= 4 && s->squashed && i < s->n_squashed; i++)
        if (s->squashed[i].version == version)
            return s->squashed[i].baseline;
    return 0;
}

static int add_cand(struct mapping *mp, const struct migc_migration *m,
                    int64_t baseline, const struct migc_foreign *fx,
                    const struct migc_flyway *fw)
{
    struct cand *c = &mp->c[mp->n++];
    *c = (struct cand){.m = m, .baseline = baseline, .fx = fx, .fw = fw};
    if (fw && (!mp->max_fw || adopt_flyway_cmp(fw->version, mp->max_fw) > 0))
        mp->max_fw = fw->version;
    if (fx && fx->stem)
        snprintf(c->stem, sizeof c->stem, "%s", fx->stem);
    else
        stem_of(m->name, c->stem, sizeof c->stem);
    version_string(c->stem, c->vstr, sizeof c->vstr);
    if (m->version > mp->max_version)
        mp->max_version = m->version;
    if (!mp->max_stem || strcmp(c->stem, mp->max_stem) > 0)
        mp->max_stem = c->stem;
    return 0;
}

/* Does baseline b carry originals in this binary? */
static int has_originals(const struct mapping *mp, int64_t b)
{
    for (size_t i = 0; i < mp->n; i++)
        if (mp->c[i].baseline == b)
            return 1;
    return 0;
}

static int matches(enum foreign_tool t, const struct adopt_row *r,
                   const struct cand *c)
{
    switch (t) {
    case FT_DBMATE:
    case FT_DIESEL: return c->vstr[0] && strcmp(r->key, c->vstr) == 0;
    case FT_KYSELY:
    case FT_PRISMA:
    case FT_NODE_PG_MIGRATE: return strcmp(r->key, c->stem) == 0;
    case FT_FLYWAY:
        return c->fw && adopt_flyway_cmp(r->key, c->fw->version) == 0;
    default: return strtoll(r->key, NULL, 10) == c->m->version;
    }
}

/* The candidate of a row: a baseline's carried original before the
 * baseline itself, which the old tool cannot have run alongside. */
static struct cand *find(struct mapping *mp, enum foreign_tool t,
                         const struct adopt_row *r)
{
    struct cand *hit = NULL;
    for (size_t i = 0; i < mp->n; i++) {
        struct cand *c = &mp->c[i];
        if (!matches(t, r, c))
            continue;
        if (!hit || (c->baseline && !hit->baseline))
            hit = c;
    }
    return hit;
}

static int newer_than_all(const struct mapping *mp, enum foreign_tool t,
                          const struct adopt_row *r)
{
    if (t == FT_KYSELY || t == FT_PRISMA || t == FT_NODE_PG_MIGRATE)
        return !mp->max_stem || strcmp(r->key, mp->max_stem) > 0;
    if (t == FT_FLYWAY)
        return !mp->max_fw || adopt_flyway_cmp(r->key, mp->max_fw) > 0;
    return strtoll(r->key, NULL, 10) > mp->max_version;
}

/* prisma's old rows print each byte with {:x}: a byte below 0x10 is one
 * digit (prisma-engines #1887), which prisma still accepts. */
static void unpadded(const char *hex, char *out, size_t size)
{
    size_t at = 0;
    for (size_t i = 0; hex[i] && hex[i + 1] && at + 3 < size; i += 2) {
        if (hex[i] != '0')
            out[at++] = hex[i];
        out[at++] = hex[i + 1];
    }
    out[at] = '\0';
}

/* Whether the recorded checksum is c's: for prisma the exact bytes' SHA-256
 * or the script's with the other line endings (format 6: sha256_lf,
 * sha256_crlf), each also unpadded, as prisma itself accepts. */
static int sum_matches(enum foreign_tool t, const struct cand *c,
                   const char *want, const char *got)
{
    if (strcmp(got, want) == 0)
        return 1;
    if (t != FT_PRISMA)
        return 0;
    const char *forms[] = {want, c->fx ? c->fx->sha256_lf : NULL,
                           c->fx ? c->fx->sha256_crlf : NULL};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char loose[160];
        if (!forms[i] || !*forms[i])
            continue;
        unpadded(forms[i], loose, sizeof loose);
        if (strcmp(got, forms[i]) == 0 || strcmp(got, loose) == 0)
            return 1;
    }
    return 0;
}

/* What the tool's checksum of c is, or NULL when it keeps none or this
 * schema carries none (format < 6 for sqlx and postgrator). */
static const char *expected_sum(enum foreign_tool t, const struct cand *c)
{
    if (t == FT_PRISMA)
        return c->m->up.checksum;
    if (t == FT_SQLX)
        return c->fx ? c->fx->sha384 : NULL;
    if (t == FT_POSTGRATOR)
        return c->fx ? c->fx->md5 : NULL;
    return NULL;
}

static const char *sum_name(enum foreign_tool t)
{
    return t == FT_SQLX         ? "SHA-384"
           : t == FT_POSTGRATOR ? "MD5"
           : t == FT_FLYWAY     ? "CRC32"
                                : "SHA-256";
}

/* Where the tool recorded a checksum, the embedded one must match. */
static int verify(const struct adopt_ledger *l, const struct adopt_row *r,
                  const struct cand *c, size_t *verified, struct adopt_fail *f)
{
    char crc[16];
    if (l->tool == FT_FLYWAY) {
        if (adopt_flyway_check(l, r, c->m, c->fw, f) != 0)
            return -1;
        snprintf(crc, sizeof crc, "%ld", (long)c->fw->checksum);
    }
    const char *want = l->tool == FT_FLYWAY ? crc : expected_sum(l->tool, c);
    if (!want || !r->checksum[0]) /* postgrator before 3: md5 '' */
        return 0;
    if (!sum_matches(l->tool, c, want, r->checksum))
        return adopt_failf(f, EXIT_DRIFT,
                           "%s's %s in %s has checksum %s, but %s's %s is "
                           "%s: the file differs from what %s applied; "
                           "nothing written; restore it, then adopt",
                           foreign_tools[l->tool].name, r->label, l->shown,
                           r->checksum, c->m->up.path, sum_name(l->tool), want,
                           foreign_tools[l->tool].name);
    ++*verified;
    return 0;
}

/* golang-migrate keeps one row: the version it is at. Everything up to it
 * is applied, a baseline's carried originals in its place. */
static void map_up_to(struct mapping *mp, const struct adopt_row *r)
{
    int64_t at = strtoll(r->key, NULL, 10);
    for (size_t i = 0; i < mp->n; i++) {
        struct cand *c = &mp->c[i];
        if (c->m->version > at)
            continue;
        if ((c->m->flags & MIGC_MIGRATION_SQUASHES) && !c->baseline &&
            has_originals(mp, c->m->version))
            continue;
        c->row = r;
    }
}

/* Flyway's baseline at version r->key: every migration at or below it
 * not recorded by a row of its own (a migc baseline whose originals this
 * binary carries: those in its place). */
static void map_baseline(struct mapping *mp, const struct adopt_row *r)
{
    for (size_t i = 0; i < mp->n; i++) {
        struct cand *c = &mp->c[i];
        if (c->row || !c->fw || adopt_flyway_cmp(c->fw->version, r->key) > 0)
            continue;
        if ((c->m->flags & MIGC_MIGRATION_SQUASHES) && !c->baseline &&
            has_originals(mp, c->m->version))
            continue;
        c->row = r;
        mp->n_baseline++;
    }
}

static int map_rows(struct mapping *mp, struct adopt_ledger *l,
                    size_t *verified, struct adopt_fail *f)
{
    for (size_t i = 0; i < l->n; i++) {
        struct adopt_row *r = &l->rows[i];
        if (r->state == 'R' || r->state == 'B') { /* Flyway's, below */
            mp->n_repeatable += r->state == 'R';
            if (r->state == 'B')
                map_baseline(mp, r);
            continue;
        }
        struct cand *c = find(mp, l->tool, r);
        if (!c && newer_than_all(mp, l->tool, r)) {
            mp->n_ahead++;
            continue;
        }
        if (!c)
            return adopt_failf(
                f, EXIT_DRIFT,
                "%s's row %s in %s maps to no migration this binary embeds "
                "and is not newer than all of them: nothing written; "
                "restore its migration file (or squash it into a baseline), "
                "build again, then adopt",
                foreign_tools[l->tool].name, r->label, l->shown);
        if (verify(l, r, c, verified, f) != 0)
            return -1;
        r->m = c->m;
        if (l->tool == FT_GOLANG_MIGRATE)
            map_up_to(mp, r);
        else
            c->row = r;
    }
    return 0;
}

static int by_version(const void *a, const void *b)
{
    int64_t x = ((const struct adopt_record *)a)->m->version;
    int64_t y = ((const struct adopt_record *)b)->m->version;
    return (x > y) - (x < y);
}

/* The embedded migrations still pending after adopting, into out (room
 * for every candidate): a baseline whose originals were all adopted is
 * crossed; part of them: the rest are. Returns how many. */
static size_t pending_of(const struct mapping *mp, size_t n_migrations,
                         struct adopt_pending *out)
{
    size_t count = 0;
    for (size_t i = 0; i < n_migrations; i++) {
        const struct cand *c = &mp->c[i];
        if (c->row)
            continue;
        int64_t v = c->m->version;
        size_t carried = 0, adopted = 0;
        for (size_t k = n_migrations; k < mp->n; k++)
            if (mp->c[k].baseline == v) {
                carried++;
                adopted += mp->c[k].row != NULL;
            }
        if (carried && adopted == carried)
            continue;
        if (carried && adopted) {
            for (size_t k = n_migrations; k < mp->n; k++)
                if (mp->c[k].baseline == v && !mp->c[k].row)
                    out[count++] = (struct adopt_pending){mp->c[k].m, v};
            continue;
        }
        out[count++] = (struct adopt_pending){c->m, 0};
    }
    return count;
}

/* How the checksums were proven, into o. */
static void sums_of(const struct cli *c, const struct adopt_ledger *l,
                    size_t verified, struct adopt_outcome *o)
{
    int sums = l->tool == FT_PRISMA || l->tool == FT_SQLX ||
               l->tool == FT_POSTGRATOR || l->tool == FT_FLYWAY;
    o->verified = verified;
    o->algorithm = sums ? sum_name(l->tool) : NULL;
    o->checksums = !sums ? "none"
                   : l->tool == FT_PRISMA || l->tool == FT_FLYWAY ||
                           c->schema->format >= 6
                       ? "verified"
                       : "not_checked";
}

static void print_plan(const struct cli *c, const struct adopt_outcome *a)
{
    FILE *o = adopt_out(c);
    const struct adopt_ledger *l = a->l;
    const char *tool = foreign_tools[l->tool].name;
    size_t rows = l->tool == FT_FLYWAY ? l->n_read : l->n;
    fprintf(o, "%s's ledger %s: %zu row%s\n", tool, l->shown, rows,
            rows == 1 ? "" : "s");
    fprintf(o, "record as applied (%zu):\n", a->n);
    for (size_t i = 0; i < a->n; i++)
        fprintf(o, "  %lld %s\n", (long long)a->rec[i].m->version,
                a->rec[i].m->name);
    fprintf(o, "pending (%zu):\n", a->n_pending);
    for (size_t i = 0; i < a->n_pending; i++) {
        const struct adopt_pending *p = &a->pending[i];
        if (p->baseline)
            fprintf(o, "  %lld %s (replaced by baseline %lld)\n",
                    (long long)p->m->version, p->m->name,
                    (long long)p->baseline);
        else
            fprintf(o, "  %lld %s\n", (long long)p->m->version, p->m->name);
    }
    fprintf(o, "foreign rows with no embedded migration (%zu)%s\n",
            a->n_ahead, a->n_ahead ? ": newer than this binary, left out:" : "");
    for (size_t i = 0; i < l->n; i++)
        if (!l->rows[i].m && l->rows[i].state == 'a')
            fprintf(o, "  %s\n", l->rows[i].label);
    if (a->n_repeatable)
        fprintf(o, "not adopted (%zu):\n", a->n_repeatable);
    for (size_t i = 0; i < l->n; i++)
        if (l->rows[i].state == 'R')
            fprintf(o, "  %s: repeatable: migc has no repeatable migrations\n",
                    l->rows[i].label);
    if (strcmp(a->checksums, "verified") == 0)
        fprintf(o, "checksums: %zu verified (%s)\n", a->verified,
                a->algorithm);
    else if (strcmp(a->checksums, "not_checked") == 0)
        fprintf(o,
                "checksums: not checked: this binary's schema (format %u) "
                "carries no %s checksums\n",
                c->schema->format, a->algorithm);
    else
        fprintf(o, "checksums: none (%s keeps none)\n", tool);
    for (size_t i = 0; a->n_baseline && i < l->n; i++)
        if (l->rows[i].state == 'B')
            fprintf(o,
                    "baseline: %zu migration%s at or below version %s "
                    "adopted through Flyway's baseline (no checksum to "
                    "prove %s)\n",
                    a->n_baseline, a->n_baseline == 1 ? "" : "s",
                    l->rows[i].key, a->n_baseline == 1 ? "it" : "them");
}

static int build(struct mapping *mp, const struct migc_schema *s)
{
    size_t n_orig = s->format >= 5 && s->originals ? s->n_originals : 0;
    mp->c = calloc(s->n_migrations + n_orig + 1, sizeof *mp->c);
    if (!mp->c)
        return -1;
    const struct migc_foreign *fx = s->format >= 6 ? s->foreign : NULL;
    const struct migc_foreign *fo =
        s->format >= 6 ? s->foreign_originals : NULL;
    const struct migc_flyway *fw = s->format >= 7 ? s->flyway : NULL;
    const struct migc_flyway *fwo =
        s->format >= 7 ? s->flyway_originals : NULL;
    for (size_t i = 0; i < s->n_migrations; i++)
        add_cand(mp, &s->migrations[i], 0, fx ? &fx[i] : NULL,
                 fw ? &fw[i] : NULL);
    for (size_t i = 0; i < n_orig; i++)
        add_cand(mp, &s->originals[i], baseline_of(s, s->originals[i].version),
                 fo ? &fo[i] : NULL, fwo ? &fwo[i] : NULL);
    return 0;
}

static void print_written(const struct cli *c, const struct adopt_ledger *l,
                          size_t n)
{
    FILE *o = adopt_out(c);
    char ledger[300];
    adopt_ledger_name(c, ledger, sizeof ledger);
    fprintf(o, "adopted %zu migration%s from %s into %s\n", n,
            n == 1 ? "" : "s", foreign_tools[l->tool].name, ledger);
    fprintf(o, "%s is left as it was; when nothing reads it any more, run:\n",
            l->shown);
    fprintf(o, "  DROP TABLE %s;\n", l->quoted);
    const char *also = foreign_tools[l->tool].also_drop;
    if (also)
        fprintf(o, "  DROP TABLE IF EXISTS %.*s\"%s\";\n",
                (int)(strchr(l->quoted, '.') - l->quoted + 1), l->quoted, also);
}

static int adopt_mapped(struct pg_conn *conn, struct cli *c,
                        struct adopt_ledger *l, struct adopt_outcome *a,
                        struct adopt_fail *f)
{
    struct mapping mp = {0};
    size_t verified = 0;
    if (l->tool == FT_FLYWAY && adopt_flyway_usable(c->schema, l, f) != 0)
        return -1;
    if (build(&mp, c->schema) != 0)
        return adopt_failf(f, EXIT_FAIL, "out of memory");
    int rc = map_rows(&mp, l, &verified, f);
    l->unproven = mp.n_baseline > 0 || mp.n_repeatable > 0;
    struct adopt_record *rec = calloc(mp.n + 1, sizeof *rec);
    struct adopt_pending *pending = calloc(mp.n + 1, sizeof *pending);
    size_t n = 0;
    if (rc == 0 && (!rec || !pending))
        rc = adopt_failf(f, EXIT_FAIL, "out of memory");
    for (size_t i = 0; rc == 0 && i < mp.n; i++)
        if (mp.c[i].row)
            rec[n++] = (struct adopt_record){mp.c[i].m, mp.c[i].row};
    if (rc == 0) {
        qsort(rec, n, sizeof *rec, by_version);
        a->rec = rec;
        a->n = n;
        a->pending = pending;
        a->n_pending = pending_of(&mp, c->schema->n_migrations, pending);
        a->n_ahead = mp.n_ahead;
        a->n_repeatable = mp.n_repeatable;
        a->n_baseline = mp.n_baseline;
        sums_of(c, l, verified, a);
        print_plan(c, a);
        rc = adopt_verify(conn, c, l, rec, n, &a->schema_check, f);
    }
    if (rc == 0 && c->dry_run) {
        a->result = "dry_run";
        fprintf(adopt_out(c), "dry run: nothing written\n");
    }
    if (rc == 0 && !c->dry_run) {
        rc = adopt_write(conn, c, l, rec, n, f);
        if (rc == 1)
            print_written(c, l, n);
        else if (rc == 0)
            fprintf(adopt_out(c),
                    "already adopted by another process; nothing written\n");
        a->result = rc == 1 ? "adopted" : rc == 0 ? "already_adopted" : NULL;
        rc = rc < 0 ? -1 : 0;
    }
    fflush(adopt_out(c));
    if (c->format == CLI_JSON && strcmp(c->command, "adopt") == 0)
        adopt_print_json(c, a, rc < 0 ? f : NULL);
    free(rec);
    free(pending);
    free(mp.c);
    a->rec = NULL;
    a->pending = NULL;
    return rc;
}

int cli_adopt(struct pg_conn *conn, struct cli *c, int then_up)
{
    struct adopt_fail f = {0};
    struct adopt_ledger l = {.tool = FT_NONE};
    struct adopt_outcome a = {0};
    int json = c->format == CLI_JSON && !then_up;
    /* A second adopt, and every `up --adopt` after the first: nothing to
     * read or prove. */
    int held = adopt_migc_rows(conn, c, &f);
    if (held < 0) {
        fprintf(stderr, "%s: error: %s\n", c->prog, f.message);
        if (json)
            adopt_print_json(c, &a, &f);
        return EXIT_FAIL;
    }
    if (held > 0 && !then_up) {
        char ledger[300];
        adopt_ledger_name(c, ledger, sizeof ledger);
        fprintf(adopt_out(c),
                "already adopted: %s holds %d row%s; nothing written\n", ledger,
                held, held == 1 ? "" : "s");
        a.result = "already_adopted";
        a.held = (size_t)held;
        if (json)
            adopt_print_json(c, &a, NULL);
    }
    if (held > 0)
        return EXIT_OK;
    int found = adopt_find(conn, c, &l, &f);
    if (found == 0 && !then_up)
        adopt_failf(&f, EXIT_FAIL,
                    c->adopt_table
                        ? "no other tool's ledger named %s in the "
                          "search_path's schema or public (or its columns "
                          "are no tool's): nothing to adopt"
                        : "no other tool's ledger in the search_path's "
                          "schema or public%s: nothing to adopt; "
                          "--ledger-table NAME names one under another name",
                    c->adopt_table ? c->adopt_table : "");
    if (found > 0)
        a.l = &l;
    int rc = found > 0 ? adopt_read_rows(conn, &l, &f) : found;
    if (found > 0 && rc == 0)
        rc = adopt_mapped(conn, c, &l, &a, &f); /* prints its own JSON */
    else if (json && (found < 0 || rc < 0 || (found == 0 && !then_up)))
        adopt_print_json(c, &a, &f);
    free(l.rows);
    if ((found == 0 && !then_up) || rc < 0) {
        fprintf(stderr, "%s: error: %s\n", c->prog, f.message);
        return f.code ? f.code : EXIT_FAIL;
    }
    return EXIT_OK;
}
