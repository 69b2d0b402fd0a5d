/* pack_yaml.c: the libyaml reader of pack files: YAML events in, a small tree
 * of scalars, sequences and mappings with their line:col out. The one file
 * in gen/ that includes yaml.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "pack_int.h"
#include "source.h"
#include "table.h"
#include "xalloc.h"

/* A collection being read, and the room its items or pairs have. */
struct open_node {
    struct pack_node *node;
    size_t cap;
};

/* One document being read from p's events into doc. */
struct reader {
    yaml_parser_t p;
    const char *path, *bytes;
    size_t len;
    struct diags *d;
    struct pack_doc *doc;
    int tags;               /* check and resolve tags (the first document) */
    struct table anchors;   /* this document's: name -> its node */
    /* the collections around the next node */
    struct open_node open[PACK_YAML_DEPTH_MAX];
    size_t depth;
};

/* 1-based line and column of byte offset off (a reader error's place). */
static void offset_position(const char *bytes, size_t len, size_t off,
                            unsigned *line, unsigned *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (bytes[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)bytes[i] & 0xC0) != 0x80)
            (*col)++;
    }
}

/* An "invalid YAML" error at mark, worded as libyaml words its own. */
static void invalid(struct reader *r, yaml_mark_t mark, const char *problem,
                    const char *context, yaml_mark_t context_mark)
{
    unsigned line = (unsigned)mark.line + 1, col = (unsigned)mark.column + 1;
    if (context)
        diag_add(r->d, r->path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s %s that starts on line %u", problem,
                 context, (unsigned)context_mark.line + 1);
    else
        diag_add(r->d, r->path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s", problem);
}

/* The next event into e; -1 after reporting the parser's error. */
static int next_event(struct reader *r, yaml_event_t *e)
{
    if (yaml_parser_parse(&r->p, e))
        return 0;
    const yaml_parser_t *p = &r->p;
    yaml_mark_t mark = p->problem_mark;
    if (p->error == YAML_READER_ERROR) {
        unsigned line, col;
        offset_position(r->bytes, r->len, p->problem_offset, &line, &col);
        mark.line = line - 1;
        mark.column = col - 1;
    }
    invalid(r, mark, p->problem ? p->problem : "cannot be read", p->context,
            p->context_mark);
    return -1;
}

static struct pack_node *new_node(struct reader *r, enum pack_node_kind kind,
                                  yaml_mark_t start)
{
    struct pack_doc *doc = r->doc;
    if (doc->n_nodes == doc->cap_nodes) {
        doc->cap_nodes = doc->cap_nodes ? 2 * doc->cap_nodes : 16;
        doc->nodes =
            xrealloc(doc->nodes, doc->cap_nodes * sizeof *doc->nodes);
    }
    struct pack_node *n = xcalloc(1, sizeof *n);
    doc->nodes[doc->n_nodes++] = n;
    n->kind = kind;
    n->line = (unsigned)start.line + 1;
    n->col = (unsigned)start.column + 1;
    return n;
}

/* n names anchor (NULL: none) from now on in this document; -1 after an
 * error when another node took the name first, as libyaml refuses it. */
static int add_anchor(struct reader *r, const yaml_char_t *anchor,
                      struct pack_node *n, yaml_mark_t start)
{
    if (!anchor)
        return 0;
    const struct pack_node *first = table_get(&r->anchors,
                                              (const char *)anchor);
    if (first) {
        yaml_mark_t first_mark = {.line = first->line - 1};
        invalid(r, start, "second occurrence",
                "found duplicate anchor; first occurrence", first_mark);
        return -1;
    }
    table_add(&r->anchors, (const char *)anchor, n);
    return 0;
}

/* n is the next item of the collection around it (or the root). */
static void add_to_parent(struct reader *r, const struct pack_node *n)
{
    if (r->depth == 0) {
        if (!r->doc->root)
            r->doc->root = n;
        return;
    }
    struct open_node *o = &r->open[r->depth - 1];
    struct pack_node *c = o->node;
    if (c->kind == PACK_NODE_SEQUENCE) {
        if (c->n_items == o->cap) {
            o->cap = o->cap ? 2 * o->cap : 4;
            c->items = xrealloc(c->items, o->cap * sizeof *c->items);
        }
        c->items[c->n_items++] = n;
        return;
    }
    /* a mapping: a key opens a pair, a value completes it */
    if (c->n_pairs && !c->pairs[c->n_pairs - 1].value) {
        c->pairs[c->n_pairs - 1].value = n;
        return;
    }
    if (c->n_pairs == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 4;
        c->pairs = xrealloc(c->pairs, o->cap * sizeof *c->pairs);
    }
    c->pairs[c->n_pairs++] = (struct pack_pair){n, NULL};
}

/* ---- Tags ------------------------------------------------------------- */

#define CORE_TAG "tag:yaml.org,2002:"

/* The core tags a pack file may write, as PyYAML's SafeLoader reads them:
 * a scalar takes the texts the core schema gives the tag's type. */
static const struct core_tag {
    const char *name, *shown, *what;
    enum pack_node_kind kind;
    enum pack_scalar scalar;
} core_tags[] = {
    {"str", "!!str", "a string", PACK_NODE_SCALAR, PACK_STR},
    {"int", "!!int", "an integer", PACK_NODE_SCALAR, PACK_INT},
    {"float", "!!float", "a float", PACK_NODE_SCALAR, PACK_FLOAT},
    {"bool", "!!bool", "a boolean (true or false)", PACK_NODE_SCALAR,
     PACK_BOOL},
    {"null", "!!null", "a null (null, ~ or nothing)", PACK_NODE_SCALAR,
     PACK_NULL},
    {"seq", "!!seq", "a sequence", PACK_NODE_SEQUENCE, PACK_STR},
    {"map", "!!map", "a mapping", PACK_NODE_MAPPING, PACK_STR},
};

static const char *const kind_words[][2] = {
    [PACK_NODE_SCALAR] = {"a scalar", "scalars"},
    [PACK_NODE_SEQUENCE] = {"a sequence", "sequences"},
    [PACK_NODE_MAPPING] = {"a mapping", "mappings"},
};

static void tag_error(struct reader *r, const struct pack_node *n,
                      const char *fmt, ...) GEN_PRINTF(3, 4);

static void tag_error(struct reader *r, const struct pack_node *n,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    diag_add(r->d, r->path, n->line, n->col, DIAG_ERROR, DIAG_PACK_SCHEMA,
             "%s", msg);
    free(msg);
}

/* A core tag's entry, or NULL. */
static const struct core_tag *core_tag(const char *tag)
{
    if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)) != 0)
        return NULL;
    for (size_t i = 0; i < sizeof core_tags / sizeof *core_tags; i++)
        if (strcmp(tag + strlen(CORE_TAG), core_tags[i].name) == 0)
            return &core_tags[i];
    return NULL;
}

/* Node n carries tag (NULL: none): n->tag and n->scalar from it, or -1
 * after an error when pack files cannot take it there. */
static int apply_tag(struct reader *r, const yaml_char_t *yaml_tag,
                     struct pack_node *n)
{
    const char *tag = (const char *)yaml_tag;
    if (n->kind == PACK_NODE_SCALAR)
        n->scalar = n->plain ? pack_resolve_plain(n->text, n->len)
                             : PACK_STR;
    if (!tag || !r->tags)
        return 0;
    const struct core_tag *c = core_tag(tag);
    if (!c) {
        int core = strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0;
        char *shown = text_escaped(core ? tag + strlen(CORE_TAG) : tag, 1);
        tag_error(r, n,
                  "unsupported tag '%s%s': pack files take the YAML core "
                  "tags !!str, !!int, !!float, !!bool, !!null, !!seq and "
                  "!!map",
                  core ? "!!" : "", shown);
        free(shown);
        return -1;
    }
    if (c->kind != n->kind) {
        tag_error(r, n, "tag %s on %s: %s tags %s", c->shown,
                  kind_words[n->kind][0], c->shown, kind_words[c->kind][1]);
        return -1;
    }
    if (n->kind != PACK_NODE_SCALAR)
        return 0;
    if (!pack_scalar_is(c->scalar, n->text, n->len)) {
        int shown = !memchr(n->text, '\0', n->len) && n->len <= 40;
        char *text = shown ? text_escaped(n->text, 0) : NULL;
        tag_error(r, n,
                  "tag %s: %s%s%s is not %s in the YAML 1.2 core schema",
                  c->shown, shown ? "'" : "the value", shown ? text : "",
                  shown ? "'" : "", c->what);
        free(text);
        return -1;
    }
    n->tag = c->shown;
    n->scalar = c->scalar;
    return 0;
}

/* ---- Nodes ------------------------------------------------------------- */

static int read_scalar(struct reader *r, const yaml_event_t *e)
{
    struct pack_node *n = new_node(r, PACK_NODE_SCALAR, e->start_mark);
    n->len = e->data.scalar.length;
    n->text = xmalloc(n->len + 1);
    memcpy(n->text, e->data.scalar.value, n->len);
    n->text[n->len] = '\0';
    n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (add_anchor(r, e->data.scalar.anchor, n, e->start_mark) != 0 ||
        apply_tag(r, e->data.scalar.tag, n) != 0)
        return -1;
    add_to_parent(r, n);
    return 0;
}

static int read_collection_start(struct reader *r, const yaml_event_t *e)
{
    int seq = e->type == YAML_SEQUENCE_START_EVENT;
    const yaml_char_t *anchor = seq ? e->data.sequence_start.anchor
                                    : e->data.mapping_start.anchor;
    const yaml_char_t *tag = seq ? e->data.sequence_start.tag
                                 : e->data.mapping_start.tag;
    struct pack_node *n = new_node(
        r, seq ? PACK_NODE_SEQUENCE : PACK_NODE_MAPPING, e->start_mark);
    if (add_anchor(r, anchor, n, e->start_mark) != 0 ||
        apply_tag(r, tag, n) != 0)
        return -1;
    add_to_parent(r, n);
    r->open[r->depth++] = (struct open_node){n, 0};
    return 0;
}

/* An alias shares the node its anchor names, as libyaml's loader does. */
static int read_alias(struct reader *r, const yaml_event_t *e)
{
    const struct pack_node *n =
        table_get(&r->anchors, (const char *)e->data.alias.anchor);
    if (!n) {
        invalid(r, e->start_mark, "found undefined alias", NULL,
                e->start_mark);
        return -1;
    }
    add_to_parent(r, n);
    return 0;
}

/* A node of event e can be added: -1 after an error when it would nest
 * deeper than a pack row can use. */
static int check_depth(struct reader *r, const yaml_event_t *e)
{
    if (r->depth < PACK_YAML_DEPTH_MAX)
        return 0;
    diag_add(r->d, r->path, (unsigned)e->start_mark.line + 1,
             (unsigned)e->start_mark.column + 1, DIAG_ERROR,
             DIAG_PACK_SCHEMA,
             "the YAML nests deeper than %d levels (the row, its field, an "
             "array element and the %d levels of a json value)",
             PACK_YAML_DEPTH_MAX, PACK_JSON_DEPTH_MAX);
    return -1;
}

/* The nodes of the document whose DOCUMENT-START was just read, up to its
 * DOCUMENT-END, into r->doc. */
static int read_document(struct reader *r)
{
    for (;;) {
        yaml_event_t e;
        if (next_event(r, &e) != 0)
            return -1;
        int rc = 0;
        switch (e.type) {
        case YAML_DOCUMENT_END_EVENT: yaml_event_delete(&e); return 0;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: r->depth--; break;
        case YAML_ALIAS_EVENT:
            rc = check_depth(r, &e) ? -1 : read_alias(r, &e);
            break;
        case YAML_SCALAR_EVENT:
            rc = check_depth(r, &e) ? -1 : read_scalar(r, &e);
            break;
        default: /* a sequence or a mapping: nothing else comes here */
            rc = check_depth(r, &e) ? -1 : read_collection_start(r, &e);
            break;
        }
        yaml_event_delete(&e);
        if (rc != 0)
            return -1;
    }
}

/* The next document of the stream into doc (its root stays NULL at the
 * end of the stream); anchors are a document's own. */
static int read_next(struct reader *r, struct pack_doc *doc, int tags)
{
    r->doc = doc;
    r->tags = tags;
    r->depth = 0;
    table_free(&r->anchors);
    yaml_event_t e;
    if (next_event(r, &e) != 0)
        return -1;
    int more = e.type == YAML_DOCUMENT_START_EVENT;
    yaml_event_delete(&e);
    return more ? read_document(r) : 0;
}

int pack_yaml_read(const char *bytes, size_t len, const char *path,
                   struct pack_doc *doc, struct diags *d)
{
    *doc = (struct pack_doc){0};
    struct reader r = {.path = path, .bytes = bytes, .len = len, .d = d};
    if (!yaml_parser_initialize(&r.p)) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    yaml_parser_set_input_string(&r.p, (const unsigned char *)bytes, len);
    yaml_event_t e;
    int rc = next_event(&r, &e); /* STREAM-START */
    if (rc == 0) {
        yaml_event_delete(&e);
        rc = read_next(&r, doc, 1);
    }
    if (rc != 0)
        doc->root = NULL;
    /* a pack file is one document: what follows the first is read too
     * (not its tags: it is refused anyway) */
    if (rc == 0 && doc->root) {
        struct pack_doc second = {0};
        rc = read_next(&r, &second, 0);
        if (rc == 0 && second.root) {
            doc->second = 1;
            doc->second_line = second.root->line;
            doc->second_col = second.root->col;
        }
        pack_doc_free(&second);
    }
    table_free(&r.anchors);
    yaml_parser_delete(&r.p);
    return rc;
}

void pack_doc_free(struct pack_doc *doc)
{
    for (size_t i = 0; i < doc->n_nodes; i++) {
        free(doc->nodes[i]->text);
        free(doc->nodes[i]->items);
        free(doc->nodes[i]->pairs);
        free(doc->nodes[i]);
    }
    free(doc->nodes);
    *doc = (struct pack_doc){0};
}
