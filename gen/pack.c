/* pack.c: the packs stage (docs/packs.md): every folder of the packs
 * directory is a pack, pack.yaml its own row and each folder of it holding
 * YAML files the rows of the table it names; the files are read in path
 * order into the pack's checksum, each checked as one row (pack_row.c),
 * and the pack built into upserts (pack_sql.c). */
#include "pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pack_int.h"
#include "paths.h"
#include "source.h"
#include "xalloc.h"

/* ---- Files and folders --------------------------------------------------- */

static int is_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

char *pack_join(const char *a, const char *b)
{
    return strcmp(a, ".") == 0 ? xstrdup(b) : xasprintf("%s/%s", a, b);
}

char *pack_default_dir(const char *dir)
{
    char *d = xstrdup(dir);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
        d[n - 1] = '\0';
    const char *slash = strrchr(d, '/');
    const char *last = slash ? slash + 1 : d;
    char *out;
    if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
        out = xasprintf("%s/../packs", d);
    else if (!slash)
        out = xstrdup("packs");
    else if (slash == d)
        out = xstrdup("/packs");
    else
        out = xasprintf("%.*s/packs", (int)(slash - d), d);
    free(d);
    return out;
}

/* ---- One pack ------------------------------------------------------------ */

static struct ptable *add_table(struct pack_build *b, struct tinfo *ti)
{
    b->tables = xrealloc(b->tables, (b->n_tables + 1) * sizeof *b->tables);
    b->tables[b->n_tables] = (struct ptable){.ti = ti};
    return &b->tables[b->n_tables++];
}

static void add_file(struct pack_build *b, const char *rel, size_t table)
{
    b->files = xrealloc(b->files, (b->n_files + 1) * sizeof *b->files);
    b->files[b->n_files++] = (struct pfile){xstrdup(rel), table};
}

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const struct pfile *)x)->rel,
                  ((const struct pfile *)y)->rel);
}

/* Read rel (within the pack) as a row of pt's table. */
static void load_row(struct pack_build *b, struct ptable *pt, const char *rel,
                     struct hash_ctx *h, struct diags *d)
{
    char *shown = pack_join(b->dir, rel);
    char *bytes;
    size_t len;
    if (source_read_all(shown, &bytes, &len) != 0) {
        diag_add(d, shown, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 source_strerror(errno));
        free(shown);
        b->failed = 1;
        return;
    }
    char size[32];
    snprintf(size, sizeof size, "%zu", len);
    hash_update(h, rel, strlen(rel) + 1);
    hash_update(h, size, strlen(size) + 1);
    hash_update(h, bytes, len);
    pt->rows = xrealloc(pt->rows, (pt->n + 1) * sizeof *pt->rows);
    struct prow *r = &pt->rows[pt->n++];
    *r = (struct prow){.rel = xstrdup(rel), .shown = shown, .ti = pt->ti};
    r->vals = xcalloc(pt->ti->t->n_cols ? pt->ti->t->n_cols : 1,
                      sizeof *r->vals);
    if (pack_row_read(bytes, len, b->name, r, d) != 0)
        b->failed = 1;
    free(bytes);
}

static void pack_build_free(struct pack_build *b)
{
    for (size_t k = 0; k < b->n_tables; k++) {
        for (size_t i = 0; i < b->tables[k].n; i++)
            pack_row_free(&b->tables[k].rows[i]);
        free(b->tables[k].rows);
        pack_tinfo_free(b->tables[k].ti);
    }
    free(b->tables);
    free(b->dir);
    for (size_t i = 0; i < b->n_files; i++)
        free(b->files[i].rel);
    free(b->files);
}

/* The folders of a pack: each with YAML files names a table. */
static void find_folders(struct pack_build *b, const struct catalog *cat,
                         struct diags *d)
{
    struct path_names folders;
    if (path_list(b->dir, &folders) != 0) {
        diag_add(d, b->dir, 0, 0, DIAG_ERROR, DIAG_IO, "cannot read: %s",
                 strerror(errno));
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < folders.n; i++) {
        const char *folder = folders.items[i];
        char *sub = pack_join(b->dir, folder);
        struct path_names files = {0};
        if (!path_is_dir(sub) || path_list(sub, &files) != 0) {
            free(sub);
            continue;
        }
        size_t n_yaml = 0;
        for (size_t j = 0; j < files.n; j++)
            n_yaml += is_yaml_name(files.items[j]);
        const struct cat_object *t =
            n_yaml ? pack_folder_table(cat, folder) : NULL;
        long table = -1;
        for (size_t k = 0; t && k < b->n_tables; k++)
            if (b->tables[k].ti->t == t)
                table = (long)k;
        if (n_yaml && !t)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names no table of schema %s (the YAML "
                     "files of a folder are rows of the table it names: "
                     "folder runtimes or runtime for table runtime)",
                     folder, PACK_SCHEMA);
        else if (t && strcmp(t->name, "pack") == 0)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names table pack, whose one row of a pack "
                     "is pack.yaml", folder);
        else if (t && table >= 0)
            diag_add(d, sub, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                     "folder '%s' names table %s, as another folder does",
                     folder, t->name);
        else if (t) {
            struct ptable *pt = add_table(b, pack_tinfo_new(cat, t));
            table = (long)(b->n_tables - 1);
            if (pack_table_usable(pt->ti, sub, d)) {
                for (size_t j = 0; j < files.n; j++)
                    if (is_yaml_name(files.items[j])) {
                        char *rel = pack_join(folder, files.items[j]);
                        add_file(b, rel, (size_t)table);
                        free(rel);
                    }
                n_yaml = 0;
            }
        }
        if (n_yaml)
            b->failed = 1;
        path_names_free(&files);
        free(sub);
    }
    path_names_free(&folders);
}

/* Read the pack in folder name of dir. */
static int load_pack(const char *dir, const char *name, const char *emb_dir,
                     const struct catalog *cat, struct pack *out,
                     struct diags *d)
{
    struct pack_build b = {.name = name, .dir = pack_join(dir, name)};
    char *pack_yaml = pack_join(b.dir, "pack.yaml");
    const struct cat_object *t = pack_find_table(cat, PACK_SCHEMA, "pack");
    if (!path_is_file(pack_yaml)) {
        diag_add(d, b.dir, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "pack '%s' has no pack.yaml (the row of table pack that "
                 "describes the pack itself)", name);
        b.failed = 1;
    } else if (!t) {
        diag_add(d, pack_yaml, 0, 0, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "no table pack in schema %s: pack.yaml is a row of it",
                 PACK_SCHEMA);
        b.failed = 1;
    } else {
        struct ptable *pt = add_table(&b, pack_tinfo_new(cat, t));
        if (pack_table_usable(pt->ti, pack_yaml, d))
            add_file(&b, "pack.yaml", 0);
        else
            b.failed = 1;
    }
    free(pack_yaml);
    if (b.n_tables == 1) /* the pack table is tables[0] */
        find_folders(&b, cat, d);
    /* read in the order of the paths within the pack: the checksum's */
    if (b.n_files)
        qsort(b.files, b.n_files, sizeof *b.files, cmp_file);
    struct hash_ctx h;
    hash_init(&h);
    for (size_t i = 0; i < b.n_files; i++)
        load_row(&b, &b.tables[b.files[i].table], b.files[i].rel, &h, d);
    hash_final_hex(&h, out->checksum);
    if (!b.failed)
        pack_check_refs(&b, d);
    int rc = b.failed ? -1 : pack_build_output(&b, emb_dir, out, d);
    pack_build_free(&b);
    return rc;
}

static void pack_free(struct pack *p)
{
    for (size_t i = 0; i < p->n_rows; i++) {
        free(p->rows[i].path);
        free(p->rows[i].table);
        free(p->rows[i].ref);
        free(p->rows[i].sql);
    }
    for (size_t i = 0; i < p->n_tables; i++) {
        free(p->tables[i].table);
        free(p->tables[i].orphans);
        free(p->tables[i].prune);
    }
    free(p->rows);
    free(p->tables);
    free(p->name);
    free(p->path);
}

void pack_set_free(struct pack_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        pack_free(&s->packs[i]);
    free(s->packs);
    *s = (struct pack_set){0};
}

int pack_load(const struct pack_options *o, const struct catalog *cat,
              struct pack_set *out, struct diags *d)
{
    *out = (struct pack_set){0};
    char *dir = xstrdup(o->dir);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    struct path_names packs;
    if (path_list(dir, &packs) != 0) {
        int missing = errno == ENOENT;
        if (!(missing && o->optional)) {
            diag_add(d, dir, 0, 0, DIAG_ERROR, DIAG_IO,
                     "cannot read the packs directory: %s", strerror(errno));
            free(dir);
            return -1;
        }
        free(dir);
        return 0;
    }
    char *emb_dir = path_embedded(dir, o->source_root, "packs");
    struct pack *built = xcalloc(packs.n ? packs.n : 1, sizeof *built);
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < packs.n; i++) {
        char *path = pack_join(dir, packs.items[i]);
        int folder = path_is_dir(path);
        free(path);
        if (!folder)
            continue; /* a README beside the packs */
        if (load_pack(dir, packs.items[i], emb_dir, cat, &built[n], d) != 0)
            rc = -1;
        n++;
    }
    out->packs = built;
    out->n = n;
    if (rc != 0)
        pack_set_free(out);
    path_names_free(&packs);
    free(emb_dir);
    free(dir);
    return rc;
}
