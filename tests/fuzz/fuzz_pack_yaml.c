/* fuzz_pack_yaml.c: libFuzzer target: the pack YAML reader (pack_yaml_read)
 * on any bytes, from memory: it fails with an error reported, or succeeds
 * without one and builds a tree of complete nodes; either way it frees. */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "pack_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Visit what the tree reaches, aliases included, within a budget (a
 * shared node can be reached many times, or from within itself). */
static void walk(const struct pack_node *n, int depth, size_t *budget)
{
    if (*budget == 0 || depth > PACK_YAML_DEPTH_MAX)
        return;
    (*budget)--;
    if (n->line == 0 || n->col == 0)
        abort();
    switch (n->kind) {
    case PACK_NODE_SCALAR:
        if (!n->text || n->text[n->len] != '\0')
            abort();
        break;
    case PACK_NODE_SEQUENCE:
        for (size_t i = 0; i < n->n_items; i++)
            walk(n->items[i], depth + 1, budget);
        break;
    case PACK_NODE_MAPPING:
        for (size_t i = 0; i < n->n_pairs; i++) {
            if (!n->pairs[i].key || !n->pairs[i].value)
                abort();
            walk(n->pairs[i].key, depth + 1, budget);
            walk(n->pairs[i].value, depth + 1, budget);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diags d = {0};
    struct pack_doc doc;
    int rc = pack_yaml_read((const char *)data, size, "fuzz.yaml", &doc, &d);
    if ((rc != 0) != (d.errors > 0))
        abort(); /* an error is reported exactly when the read fails */
    if (doc.root) {
        size_t budget = 10000;
        walk(doc.root, 1, &budget);
    }
    pack_doc_free(&doc);
    diags_free(&d);
    return 0;
}
