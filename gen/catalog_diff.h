/* catalog_diff.h: two static catalogs (catalog.h) compared object by
 * object, over the facts the catalog knows exactly: the build-time side of
 * `migc verify` (a baseline against the migrations it squashes). */
#ifndef MIGC_GEN_CATALOG_DIFF_H
#define MIGC_GEN_CATALOG_DIFF_H

#include <stddef.h>

#include "catalog.h"

/* One difference: what differs, and how each side has it, e.g.
 * subject "table public.orders: column total", a "numeric(10,2)",
 * b "numeric"; an object one side lacks reads "absent" there. */
struct cat_diff {
    char *subject;
    char *a, *b;
};

struct cat_diffs {
    struct cat_diff *items;
    size_t n, cap;
};

/* Whether a name (an object's, its schema's, its table's or a column's)
 * is one of the side's uncertain or opaque names (what dynamic SQL, a
 * body migc cannot read or a migration that did not parse may have made
 * or dropped): a fact about it is not compared. */
typedef int cat_diff_unsure_fn(void *ctx, const char *name);

struct cat_diff_side {
    const struct catalog *cat;
    cat_diff_unsure_fn *unsure; /* NULL: every name is known */
    void *ctx;                  /* unsure's */
};

/* Compare a (the first side) with b: every difference appended to out, in
 * the order of the objects' names (a table's parts after it, its columns
 * in their order). Objects neither side can be sure of (an unsure name on
 * either side; roles, which live outside a database's schema) are left
 * out. */
void catalog_diff(const struct cat_diff_side *a, const struct cat_diff_side *b,
                  struct cat_diffs *out);

/* "subject: a vs b", newly allocated. */
char *cat_diff_text(const struct cat_diff *d);

void cat_diffs_free(struct cat_diffs *l);

#endif
