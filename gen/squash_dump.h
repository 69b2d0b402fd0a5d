/* squash_dump.h: pg_dump's plain output split into its entries and
 * written back without the noise (SET preamble, \restrict, owners, dump
 * headers), so that one schema always reads as the same bytes. */
#ifndef MIGC_GEN_SQUASH_DUMP_H
#define MIGC_GEN_SQUASH_DUMP_H

#include <stddef.h>
#include <stdio.h>

/* One object of the dump, as pg_dump's "-- Name: N; Type: T; Schema: S"
 * comment introduces it. */
struct dump_entry {
    char *name, *type, *schema; /* schema "-" for none */
    char *body;                 /* its SQL, no leading or trailing blank
                                   line, ending with a newline */
};

struct dump {
    struct dump_entry *e;
    size_t n;
};

/* Split text (pg_dump --format=plain) into entries; what comes before the
 * first (SET lines, \restrict) and pg_dump's own SET lines between them
 * are left out. Exits on out of memory. */
void dump_parse(const char *text, struct dump *out);

/* Whether an entry of s0 has e's type, schema and name; *same then says
 * whether its body is e's too. */
int dump_find(const struct dump *s0, const struct dump_entry *e, int *same);

/* Entries written as "-- Name: N; Type: T; Schema: S" then the body, one
 * blank line between them. Only those whose keep[i] is set (keep NULL:
 * all). */
void dump_write(const struct dump *d, const char *keep, FILE *out);

/* Whether any entry is of type (e.g. "FUNCTION"). */
int dump_has_type(const struct dump *d, const char *type);

void dump_free(struct dump *d);

#endif
