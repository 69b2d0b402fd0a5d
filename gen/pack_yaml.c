/* pack_yaml.c: the libyaml reader of pack files: YAML text in, a small tree
 * of scalars, sequences and mappings with their line:col out. The one file
 * in gen/ that includes yaml.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "pack_int.h"
#include "xalloc.h"

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

static void yaml_error(const yaml_parser_t *p, const char *path,
                       const char *bytes, size_t len, struct diags *d)
{
    unsigned line = (unsigned)p->problem_mark.line + 1;
    unsigned col = (unsigned)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR)
        offset_position(bytes, len, p->problem_offset, &line, &col);
    const char *problem = p->problem ? p->problem : "cannot be read";
    if (p->context)
        diag_add(d, path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s %s that starts on line %u", problem,
                 p->context, (unsigned)p->context_mark.line + 1);
    else
        diag_add(d, path, line, col, DIAG_ERROR, DIAG_PACK_SCHEMA,
                 "invalid YAML: %s", problem);
}

/* libyaml numbers its nodes from 1; an alias is the index of the node it
 * names, so the tree shares that node as libyaml does. */
static const struct pack_node *node_at(const struct pack_doc *doc, int index)
{
    return &doc->nodes[index - 1];
}

static void copy_node(struct pack_doc *doc, const yaml_node_t *y,
                      struct pack_node *n)
{
    n->line = (unsigned)y->start_mark.line + 1;
    n->col = (unsigned)y->start_mark.column + 1;
    switch (y->type) {
    case YAML_SEQUENCE_NODE: {
        const yaml_node_item_t *start = y->data.sequence.items.start;
        n->kind = PACK_NODE_SEQUENCE;
        n->n_items = (size_t)(y->data.sequence.items.top - start);
        n->items = xcalloc(n->n_items ? n->n_items : 1, sizeof *n->items);
        for (size_t i = 0; i < n->n_items; i++)
            n->items[i] = node_at(doc, start[i]);
        break;
    }
    case YAML_MAPPING_NODE: {
        const yaml_node_pair_t *start = y->data.mapping.pairs.start;
        n->kind = PACK_NODE_MAPPING;
        n->n_pairs = (size_t)(y->data.mapping.pairs.top - start);
        n->pairs = xcalloc(n->n_pairs ? n->n_pairs : 1, sizeof *n->pairs);
        for (size_t i = 0; i < n->n_pairs; i++)
            n->pairs[i] = (struct pack_pair){node_at(doc, start[i].key),
                                             node_at(doc, start[i].value)};
        break;
    }
    default: /* YAML_SCALAR_NODE: a loaded document holds no other */
        n->kind = PACK_NODE_SCALAR;
        n->len = y->data.scalar.length;
        n->text = xmalloc(n->len + 1);
        memcpy(n->text, y->data.scalar.value, n->len);
        n->text[n->len] = '\0';
        n->plain = y->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        break;
    }
}

/* The nodes of a loaded document; its root is the first. */
static void copy_document(yaml_document_t *y, struct pack_doc *doc)
{
    doc->n_nodes = (size_t)(y->nodes.top - y->nodes.start);
    if (doc->n_nodes == 0)
        return;
    doc->nodes = xcalloc(doc->n_nodes, sizeof *doc->nodes);
    for (size_t i = 0; i < doc->n_nodes; i++)
        copy_node(doc, &y->nodes.start[i], &doc->nodes[i]);
    doc->root = &doc->nodes[0];
}

int pack_yaml_read(const char *bytes, size_t len, const char *path,
                   struct pack_doc *doc, struct diags *d)
{
    *doc = (struct pack_doc){0};
    yaml_parser_t p;
    yaml_document_t y;
    if (!yaml_parser_initialize(&p)) {
        fputs("migc: error: out of memory\n", stderr);
        exit(2);
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
    if (!yaml_parser_load(&p, &y)) {
        yaml_error(&p, path, bytes, len, d);
        yaml_parser_delete(&p);
        return -1;
    }
    copy_document(&y, doc);
    yaml_document_delete(&y);
    int rc = 0;
    /* a pack file is one document: what follows the first is read too */
    if (doc->root) {
        if (!yaml_parser_load(&p, &y)) {
            yaml_error(&p, path, bytes, len, d);
            rc = -1;
        } else {
            const yaml_node_t *second = yaml_document_get_root_node(&y);
            if (second) {
                doc->second = 1;
                doc->second_line = (unsigned)second->start_mark.line + 1;
                doc->second_col = (unsigned)second->start_mark.column + 1;
            }
            yaml_document_delete(&y);
        }
    }
    yaml_parser_delete(&p);
    return rc;
}

void pack_doc_free(struct pack_doc *doc)
{
    for (size_t i = 0; i < doc->n_nodes; i++) {
        free(doc->nodes[i].text);
        free(doc->nodes[i].items);
        free(doc->nodes[i].pairs);
    }
    free(doc->nodes);
    *doc = (struct pack_doc){0};
}
