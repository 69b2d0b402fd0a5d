/* suggest.h: "did you mean": the one existing name closest to a name that
 * does not exist, for the unknown-* findings. */
#ifndef MIGC_GEN_SUGGEST_H
#define MIGC_GEN_SUGGEST_H

#include "semantics.h"

/* Edit distance between a and b (optimal string alignment: insert, delete,
 * substitute one character, or swap two adjacent ones), counted in UTF-8
 * characters; with fold, ASCII letters compare case-insensitively. A
 * distance over limit is returned as limit + 1 (the count stops there). */
unsigned suggest_distance(const char *a, const char *b, unsigned limit,
                          int fold);

/* The search for the candidate closest to want: offer each existing name,
 * then take the result. Names are borrowed until then. */
struct suggest {
    const char *want;
    unsigned limit;       /* the most edits a suggestion may be away */
    const char *best;     /* NULL: none within limit yet */
    unsigned best_folded; /* its distance with case folded ... */
    unsigned best_exact;  /* ... and with case kept (the tie-break) */
    int tied;             /* another name is exactly as close */
};

/* limit: a third of want's characters, at least 1, and always fewer than
 * want has (a one-letter name gets no suggestion). */
void suggest_begin(struct suggest *s, const char *want);
void suggest_offer(struct suggest *s, const char *name);
/* The closest name, or NULL when none is within the limit or two differ
 * from want equally (no guess between them). Independent of the order
 * the names were offered in. */
const char *suggest_result(const struct suggest *s);

/* The name to suggest for an unknown one, as the finding's message writes
 * it (schema-qualified when the unknown name was), or NULL; free it.
 * name is the event's (sem_unknown.name); of the column's or constraint's
 * table. */
char *suggest_relation(const struct sem *a, const char *name);
char *suggest_schema(const struct sem *a, const char *name);
char *suggest_constraint(const struct sem *a, const struct cat_object *of,
                         const char *name);
char *suggest_column(const struct cat_object *of, const char *name);
char *suggest_type(const struct sem *a, const char *name);
char *suggest_function(const struct sem *a, const char *name);

#endif
