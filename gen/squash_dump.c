/* squash_dump.c: pg_dump's plain output as entries, noise left out. */
#include "squash_dump.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The header line of an entry: "-- Name: ..." or "-- Data for Name: ...",
 * between two "--" lines. */
static int is_header(const char *line, const char *text)
{
    if (strncmp(line, "-- Name: ", 9) != 0 &&
        strncmp(line, "-- Data for Name: ", 18) != 0)
        return 0;
    return line - text >= 3 && strncmp(line - 3, "--\n", 3) == 0;
}

/* The value of "KEY: value" in the header's "; "-separated fields. */
static char *field(const char *line, size_t len, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = line; p < line + len;) {
        const char *end = strstr(p, "; ");
        if (!end || end > line + len)
            end = line + len;
        if ((size_t)(end - p) > klen + 2 && strncmp(p, key, klen) == 0 &&
            strncmp(p + klen, ": ", 2) == 0)
            return xstrndup(p + klen + 2, (size_t)(end - p) - klen - 2);
        p = end + 2;
    }
    return xstrdup("-");
}

/* pg_dump's lines that are not the object: its settings between entries,
 * the \restrict guard (pg_dump 15.14+), its closing comment. */
static int noise(const char *line, size_t len)
{
    static const char *const prefixes[] = {
        "SET default_tablespace = ", "SET default_table_access_method = ",
        "\\restrict ", "\\unrestrict ", "-- PostgreSQL database dump",
        "SELECT pg_catalog.set_config(",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (len >= n && strncmp(line, prefixes[i], n) == 0)
            return 1;
    }
    return 0;
}

/* The body between from and to: noise lines out, runs of blank lines
 * made one, none at either end, a final newline. Lines of "--" alone
 * (the frame of the next header or of the closing comment) at the end
 * go too. */
static char *clean_body(const char *from, const char *to)
{
    char *out = xmalloc((size_t)(to - from) + 2);
    size_t n = 0;
    int blank_run = 1; /* drops leading blank lines */
    for (const char *p = from; p < to;) {
        const char *start = p;
        const char *nl = memchr(p, '\n', (size_t)(to - p));
        const char *end = nl ? nl : to;
        size_t len = (size_t)(end - start);
        p = nl ? nl + 1 : to;
        if (noise(start, len))
            continue;
        if (len == 0) {
            if (!blank_run)
                out[n++] = '\n';
            blank_run = 1;
            continue;
        }
        memcpy(out + n, start, len);
        n += len;
        out[n++] = '\n';
        blank_run = 0;
    }
    /* trailing blank lines and bare "--" frame lines */
    for (;;) {
        while (n > 0 && out[n - 1] == '\n' && (n == 1 || out[n - 2] == '\n'))
            n--;
        if (n >= 3 && strncmp(out + n - 3, "--\n", 3) == 0 &&
            (n == 3 || out[n - 4] == '\n'))
            n -= 3;
        else
            break;
    }
    out[n] = '\0';
    return out;
}

void dump_parse(const char *text, struct dump *out)
{
    *out = (struct dump){0};
    size_t cap = 0;
    const char *line = text, *body = NULL;
    struct dump_entry *cur = NULL;
    while (*line) {
        const char *nl = strchr(line, '\n');
        const char *next = nl ? nl + 1 : line + strlen(line);
        if (is_header(line, text)) {
            if (cur)
                cur->body = clean_body(body, line - 3);
            out->e = xgrow(out->e, out->n + 1, &cap, sizeof *out->e);
            cur = &out->e[out->n++];
            size_t len = (size_t)((nl ? nl : next) - line);
            const char *fields = strstr(line, "Name: ");
            size_t flen = len - (size_t)(fields - line);
            *cur = (struct dump_entry){
                .name = field(fields, flen, "Name"),
                .type = field(fields, flen, "Type"),
                .schema = field(fields, flen, "Schema"),
            };
            /* the body starts after the closing "--" line */
            body = next;
            if (strncmp(body, "--\n", 3) == 0)
                body += 3;
            next = body;
        }
        line = next;
    }
    if (cur)
        cur->body = clean_body(body, line);
}

int dump_find(const struct dump *s0, const struct dump_entry *e, int *same)
{
    int found = 0;
    *same = 0;
    for (size_t i = 0; i < s0->n; i++) {
        const struct dump_entry *o = &s0->e[i];
        if (strcmp(o->type, e->type) || strcmp(o->schema, e->schema) ||
            strcmp(o->name, e->name))
            continue;
        found = 1;
        if (strcmp(o->body, e->body) == 0)
            *same = 1;
    }
    return found;
}

void dump_write(const struct dump *d, const char *keep, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct dump_entry *e = &d->e[i];
        if (keep && !keep[i])
            continue;
        fprintf(out, "-- Name: %s; Type: %s; Schema: %s\n%s\n", e->name,
                e->type, e->schema, e->body);
    }
}

int dump_has_type(const struct dump *d, const char *type)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->e[i].type, type) == 0)
            return 1;
    return 0;
}

void dump_free(struct dump *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->e[i].name);
        free(d->e[i].type);
        free(d->e[i].schema);
        free(d->e[i].body);
    }
    free(d->e);
    *d = (struct dump){0};
}
