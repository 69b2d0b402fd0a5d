/* names.c: identifier-length (a name over PostgreSQL's 63 bytes, which it
 * truncates) and what duplicate-object says when that truncation made two
 * written names one. */
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "rules/rule.h"
#include "xalloc.h"

/* NAMEDATALEN - 1: the bytes of a name PostgreSQL keeps. */
#define NAME_BYTES 63

/* A long name as written, under its truncated form in r->long_names: the
 * spellings that truncate alike, first written first. */
struct long_name {
    char *full;
    struct cat_site site;
    struct long_name *next;
};

/* truncate_identifier() on a UTF-8 server: the longest prefix of at most
 * NAME_BYTES bytes that ends at a character boundary (pg_mbcliplen()). */
static char *truncated(const char *full)
{
    size_t n = NAME_BYTES;
    while (n > 0 && ((unsigned char)full[n] & 0xC0) == 0x80)
        n--;
    return xasprintf("%.*s", (int)n, full);
}

static void current_free(struct rules *r)
{
    for (size_t i = 0; i < r->n_idents; i++) {
        free(r->idents[i].name);
        free(r->idents[i].truncated);
    }
    free(r->idents);
    r->idents = NULL;
    r->n_idents = 0;
}

/* The long identifiers of the statement at hand, read once per statement
 * (the events of a function body's statements share their statement). */
static void scan_statement(struct rules *r, const struct sem *s)
{
    const struct model_statement *st = s->stmt;
    if (r->idents_scanned && r->idents_mig == s->mig &&
        r->idents_off == st->off)
        return;
    current_free(r);
    r->idents_scanned = 1;
    r->idents_mig = s->mig;
    r->idents_off = st->off;
    char *text = xasprintf("%.*s", (int)st->len, s->script->src->bytes + st->off);
    struct parse_ident *found = NULL;
    size_t n = parse_long_idents(text, NAME_BYTES, &found);
    free(text);
    r->idents = xcalloc(n ? n : 1, sizeof *r->idents);
    for (size_t i = 0; i < n; i++)
        r->idents[i] = (struct rules_ident){st->off + found[i].off,
                                            found[i].name,
                                            truncated(found[i].name)};
    r->n_idents = n;
    free(found);
}

/* Add a spelling to r->long_names; NULL when it was there already, else
 * the first other spelling of the same truncated name (or the new one). */
static const struct long_name *remember(struct rules *r, const struct sem *s,
                                        const struct rules_ident *id,
                                        int *is_new)
{
    struct long_name *first = table_get(&r->long_names, id->truncated);
    *is_new = 0;
    for (struct long_name *l = first; l; l = l->next)
        if (strcmp(l->full, id->name) == 0)
            return NULL;
    struct long_name *l = xcalloc(1, sizeof *l);
    l->full = xstrdup(id->name);
    l->site = sem_site(s, s->stmt, (int32_t)id->off);
    *is_new = 1;
    if (!first) {
        table_add(&r->long_names, id->truncated, l);
        return l;
    }
    struct long_name *last = first;
    while (last->next)
        last = last->next;
    last->next = l;
    return first;
}

void rule_identifier_length(struct rules *r, const struct sem *s,
                            const struct sem_event *ev)
{
    if (ev->kind != SEM_STATEMENT || !s->stmt)
        return;
    int was_scanned = r->idents_scanned && r->idents_mig == s->mig &&
                      r->idents_off == s->stmt->off;
    scan_statement(r, s);
    if (was_scanned)
        return;
    for (size_t i = 0; i < r->n_idents; i++) {
        const struct rules_ident *id = &r->idents[i];
        int is_new;
        const struct long_name *other = remember(r, s, id, &is_new);
        if (!is_new)
            continue; /* reported where it was first written */
        char *also = other && strcmp(other->full, id->name) != 0
                         ? xasprintf(", as it does \"%s\" at %s:%u:%u",
                                     other->full, other->site.path,
                                     other->site.line, other->site.col)
                         : xstrdup("");
        rule_report(r, s, DIAG_IDENTIFIER_LENGTH, (int32_t)id->off,
                    "identifier \"%s\" is %zu bytes: PostgreSQL truncates "
                    "names to %d bytes, so it is \"%s\"%s",
                    id->name, strlen(id->name), NAME_BYTES, id->truncated,
                    also);
        free(also);
    }
}

char *rules_truncation_note(struct rules *r, const struct sem *s,
                            const char *name, int32_t loc)
{
    /* a truncated name keeps over 59 bytes: a character has 4 at most */
    if (!s->stmt || strlen(name) + 4 <= NAME_BYTES)
        return xstrdup("");
    scan_statement(r, s);
    /* the spelling at the event's place, else the statement's last one */
    const struct rules_ident *here = NULL;
    for (size_t i = 0; i < r->n_idents; i++)
        if (strcmp(r->idents[i].truncated, name) == 0 &&
            (!here || here->off != (size_t)loc))
            here = &r->idents[i];
    if (!here)
        return xstrdup("");
    for (const struct long_name *l = table_get(&r->long_names, name); l;
         l = l->next)
        if (strcmp(l->full, here->name) != 0)
            return xasprintf("; PostgreSQL truncates names to %d bytes: "
                             "\"%s\" here and \"%s\" at %s:%u:%u both "
                             "become that name",
                             NAME_BYTES, here->name, l->full, l->site.path,
                             l->site.line, l->site.col);
    return xstrdup("");
}

void rules_names_free(struct rules *r)
{
    current_free(r);
    r->idents_scanned = 0;
    for (size_t i = 0; i < r->long_names.cap; i++) {
        struct long_name *l = r->long_names.slots[i].key
                                  ? r->long_names.slots[i].value
                                  : NULL;
        while (l) {
            struct long_name *next = l->next;
            free(l->full);
            free(l);
            l = next;
        }
    }
    table_free(&r->long_names);
}
