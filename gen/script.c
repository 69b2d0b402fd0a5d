/* script.c: a migration's up and down scripts: sections by layout,
 * directives, statements and their transaction classes. */
#include "script.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migc.h"
#include "parse.h"
#include "xalloc.h"

/* Parse [off, end) of src. The bytes outside it become blanks (line breaks
 * kept), so that offsets, lines and columns stay those of the file. On a
 * syntax error *err_off is the byte offset of its position. */
static int parse_section(const struct source *src, size_t off, size_t end,
                         struct parse_result *r, size_t *err_off)
{
    char *text = src->bytes, *copy = NULL;
    if (off != 0 || end != src->len) {
        copy = xmalloc(src->len + 1);
        for (size_t i = 0; i < src->len; i++)
            copy[i] = (i >= off && i < end) || src->bytes[i] == '\n'
                          ? src->bytes[i]
                          : ' ';
        copy[src->len] = '\0';
        text = copy;
    }
    int rc = parse_sql(text, src->len, r);
    if (rc != 0)
        *err_off = r->error_has_pos
                       ? utf8_char_offset(text, src->len, r->error_char)
                       : off;
    free(copy);
    return rc;
}

static void add_at(struct diags *d, const struct source *src, size_t off,
                   enum diag_severity sev, enum diag_rule rule,
                   const char *msg)
{
    unsigned line, col;
    source_position(src, off, &line, &col);
    diag_add(d, src->path, line, col, sev, rule, "%s", msg);
}

/* The migration being built: script_build's input and outputs. */
struct build {
    const struct script_input *in;
    struct model_script *up, *down;
    struct script_decl *decl;
    struct diags *d;
};

/* ---- sections ----------------------------------------------------------- */

struct marker_set {
    enum directive_kind up, down;
    const char *up_text, *down_text; /* as the tool documents them */
    const char *tool;
};

static const struct marker_set dbmate = {
    DIRECTIVE_DBMATE_UP, DIRECTIVE_DBMATE_DOWN, "-- migrate:up",
    "-- migrate:down", "dbmate"};
static const struct marker_set goose = {DIRECTIVE_GOOSE_UP,
                                        DIRECTIVE_GOOSE_DOWN, "-- +goose Up",
                                        "-- +goose Down", "goose"};

/* SQL before the up marker runs in neither direction: the tools reject it. */
static void check_preamble(const struct source *src, size_t end,
                           const struct marker_set *ms, struct diags *d)
{
    struct parse_result r;
    size_t err_off = 0;
    int rc = parse_section(src, 0, end, &r, &err_off);
    if (rc == 0 && r.n_stmts == 0) {
        parse_result_free(&r);
        return;
    }
    char *msg = xasprintf("SQL before the `%s` marker belongs to neither "
                          "direction; %s rejects the file",
                          ms->up_text, ms->tool);
    add_at(d, src, rc == 0 ? r.stmts[0].off : err_off, DIAG_ERROR,
           DIAG_LAYOUT, msg);
    free(msg);
    parse_result_free(&r);
}

/* A marker its tool would ignore or reject (indented, cased otherwise):
 * migc reads it, and says that the tool would not. */
static void lenient_marker(const struct source *src, const struct directive *m,
                           const struct marker_set *ms, struct diags *d)
{
    if (m->verdict == DIRECTIVE_READ)
        return;
    const char *marker = m->kind == ms->up ? ms->up_text : ms->down_text;
    char *msg = xasprintf("%s %s this marker (%s)%s; migc reads it as `%s`: "
                          "write it that way so that %s reads it too",
                          ms->tool,
                          m->verdict == DIRECTIVE_IGNORED ? "does not read"
                                                          : "rejects",
                          m->problem ? m->problem : "written differently",
                          m->verdict == DIRECTIVE_IGNORED
                              ? ", finds the section missing and rejects the "
                                "file"
                              : "",
                          marker, ms->tool);
    add_at(d, src, m->off, DIAG_WARNING, DIAG_LAYOUT, msg);
    free(msg);
}

/* dbmate and goose: the up script runs from its marker's next line to the
 * down marker, the down script from there to the end. -1 when the file has
 * no usable sections (reported). */
static int split_sections(struct build *b, const struct marker_set *ms)
{
    const struct source *src = b->up->src;
    const struct directive_list *dl = b->in->up_dirs;
    struct diags *d = b->d;
    const struct directive *up = NULL, *down = NULL;
    int bad = 0;
    for (size_t i = 0; i < dl->n; i++) {
        const struct directive *m = &dl->items[i];
        if (m->kind != ms->up && m->kind != ms->down)
            continue;
        const struct directive **slot = m->kind == ms->up ? &up : &down;
        if (*slot) {
            char *msg = xasprintf("a second `%s` marker (the first is on "
                                  "line %u): migc reads one up and one down "
                                  "section per file; merge the sections",
                                  m->kind == ms->up ? ms->up_text
                                                    : ms->down_text,
                                  (*slot)->line);
            add_at(d, src, m->off, DIAG_ERROR, DIAG_LAYOUT, msg);
            free(msg);
            bad = 1;
            continue;
        }
        *slot = m;
        lenient_marker(src, m, ms, d);
    }
    if (!up) {
        diag_add(d, src->path, 0, 0, DIAG_ERROR, DIAG_LAYOUT,
                 "%s migration without an up marker: write `%s` before its "
                 "SQL",
                 ms->tool, ms->up_text);
        return -1;
    }
    if (down && down->off < up->off) {
        char *msg = xasprintf("`%s` comes before `%s` (line %u): the up "
                              "section must come first",
                              ms->down_text, ms->up_text, up->line);
        add_at(d, src, down->off, DIAG_ERROR, DIAG_LAYOUT, msg);
        return free(msg), -1;
    }
    if (bad)
        return -1;
    if (!down && ms == &dbmate)
        diag_add(d, src->path, 0, 0, DIAG_WARNING, DIAG_LAYOUT,
                 "no `-- migrate:down` section: dbmate 2 rejects such a file "
                 "(write the marker, even with nothing after it)");
    check_preamble(src, up->line_off, ms, d);
    b->up->off = up->next;
    b->up->end = down ? down->line_off : src->len;
    if (up->options & DIRECTIVE_OPT_NO_TRANSACTION)
        b->up->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
    if (down) {
        b->down->present = 1;
        b->down->src = src;
        b->down->off = down->next;
        b->down->end = src->len;
        if (down->options & DIRECTIVE_OPT_NO_TRANSACTION)
            b->down->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
    }
    return 0;
}

/* goose: StatementBegin/End must pair up; NO TRANSACTION covers the file. */
static void goose_directives(struct build *b)
{
    const struct source *src = b->up->src;
    const struct directive_list *dl = b->in->up_dirs;
    struct diags *d = b->d;
    const struct directive *open = NULL;
    for (size_t i = 0; i < dl->n; i++) {
        const struct directive *m = &dl->items[i];
        const char *problem = NULL;
        char *msg = NULL;
        switch (m->kind) {
        case DIRECTIVE_GOOSE_STATEMENT_BEGIN:
            if (open)
                problem = "`-- +goose StatementBegin` inside another "
                          "StatementBegin block";
            open = m;
            break;
        case DIRECTIVE_GOOSE_STATEMENT_END:
            if (!open)
                problem = "`-- +goose StatementEnd` without a "
                          "StatementBegin";
            open = NULL;
            break;
        case DIRECTIVE_GOOSE_UP:
        case DIRECTIVE_GOOSE_DOWN:
            if (open)
                problem = "a section marker inside a StatementBegin block";
            break;
        case DIRECTIVE_GOOSE_NO_TRANSACTION:
            b->up->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
            b->down->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
            break;
        case DIRECTIVE_GOOSE_UNKNOWN:
            msg = xasprintf("goose rejects the annotation `+goose %.*s`: it "
                            "knows Up, Down, StatementBegin, StatementEnd, "
                            "NO TRANSACTION and ENVSUB ON/OFF",
                            (int)m->word_len, src->bytes + m->word_off);
            problem = msg;
            break;
        case DIRECTIVE_GOOSE_ENVSUB_ON:
            add_at(d, src, m->off, DIAG_WARNING, DIAG_LAYOUT,
                   "goose substitutes ${VAR} in the SQL after this "
                   "annotation at run time; migc embeds the text as written");
            break;
        default: break;
        }
        if (problem)
            add_at(d, src, m->off, DIAG_ERROR, DIAG_LAYOUT, problem);
        free(msg);
    }
    if (open)
        add_at(d, src, open->off, DIAG_ERROR, DIAG_LAYOUT,
               "`-- +goose StatementBegin` without a StatementEnd");
}

/* ---- directives ------------------------------------------------------- */

/* At the top (before the first statement): the whole script; else the
 * statement that follows the directive's line. */
static void add_allow(struct model_script *s, const struct source *src,
                      const struct directive *m, const struct parse_result *r)
{
    s->allows = xrealloc(s->allows, (s->n_allows + 1) * sizeof *s->allows);
    struct model_allow *a = &s->allows[s->n_allows++];
    a->rule = xstrndup(src->bytes + m->rule_off, m->rule_len);
    a->script_used = 0;
    source_position(src, m->off, &a->line, &a->col);
    a->stmt_off = SIZE_MAX;
    if (r->n_stmts > 0 && m->off > r->stmts[0].off) {
        a->stmt_off = SIZE_MAX - 1;
        for (size_t k = 0; k < r->n_stmts; k++)
            if (r->stmts[k].off >= m->next) {
                a->stmt_off = r->stmts[k].off;
                break;
            }
    }
}

/* The name of a known migc: directive as written ("lock-timeout"), or
 * NULL for another kind. */
static const char *migc_name(enum directive_kind kind)
{
    switch (kind) {
    case DIRECTIVE_MIGC_NO_TRANSACTION: return "no-transaction";
    case DIRECTIVE_MIGC_ALLOW: return "allow";
    case DIRECTIVE_MIGC_SQUASHES: return "squashes";
    case DIRECTIVE_MIGC_LOCK_TIMEOUT: return "lock-timeout";
    case DIRECTIVE_MIGC_STATEMENT_TIMEOUT: return "statement-timeout";
    default: return NULL;
    }
}

/* -- migc:lock-timeout / -- migc:statement-timeout: once per migration, in
 * its up script; the lexer checked VALUE. */
static void set_timeout(struct script_decl *decl, const struct source *src,
                        const struct directive *m, int is_up, struct diags *d)
{
    const char *name = migc_name(m->kind);
    char **slot = m->kind == DIRECTIVE_MIGC_LOCK_TIMEOUT
                      ? &decl->lock_timeout
                      : &decl->statement_timeout;
    char *msg = NULL;
    if (!is_up)
        msg = xasprintf("`-- migc:%s` belongs in the up migration", name);
    else if (*slot)
        msg = xasprintf("a second `-- migc:%s` in one migration (the first "
                        "says %s)",
                        name, *slot);
    else
        *slot = xstrndup(src->bytes + m->value_off, m->value_len);
    if (msg)
        add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE, msg);
    free(msg);
}

static void apply_directive(struct build *b, struct model_script *s,
                            const struct directive *m, int is_up,
                            const struct parse_result *r)
{
    struct script_decl *decl = b->decl;
    enum layout layout = b->in->layout;
    struct diags *d = b->d;
    size_t first_off = r->n_stmts ? r->stmts[0].off : s->end;
    const struct source *src = s->src;
    enum diag_rule rule;
    const char *name = migc_name(m->kind);
    if (name && m->verdict == DIRECTIVE_REJECTED) {
        /* "-- MIGC:No-Transaction": read by no tool, so not by migc */
        char *msg = xasprintf("%s: write `-- migc:%s`", m->problem, name);
        add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE, msg);
        free(msg);
        return;
    }
    switch (m->kind) {
    case DIRECTIVE_MIGC_NO_TRANSACTION:
        if (m->off > first_off)
            add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE,
                   "`-- migc:no-transaction` must come before the first "
                   "statement");
        s->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
        break;
    case DIRECTIVE_SQLX_NO_TRANSACTION:
        /* sqlx: only when the file starts with it */
        if ((layout == LAYOUT_PLAIN || layout == LAYOUT_UP_DOWN) &&
            m->off == 0 && m->verdict == DIRECTIVE_READ)
            s->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
        break;
    case DIRECTIVE_MIGC_ALLOW:
        if (diag_rule_from_id(src->bytes + m->rule_off, m->rule_len,
                              &rule) != 0) {
            char *msg = xasprintf("`-- migc:allow` names no rule of migc: "
                                  "%.*s",
                                  (int)m->rule_len, src->bytes + m->rule_off);
            add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE, msg);
            free(msg);
        } else if (m->reason_len == 0) {
            add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE,
                   "`-- migc:allow RULE reason`: give the reason, so that "
                   "a reviewer knows why the rule does not apply here");
        } else {
            add_allow(s, src, m, r);
        }
        break;
    case DIRECTIVE_MIGC_SQUASHES:
        if (!is_up)
            add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE,
                   "`-- migc:squashes` belongs in the up migration");
        else if (decl->flags & MIGC_MIGRATION_SQUASHES)
            add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE,
                   "a second `-- migc:squashes` in one migration");
        else { /* its version against the released ones: lock_check */
            decl->flags |= MIGC_MIGRATION_SQUASHES;
            decl->squash_from = m->from;
            decl->squash_to = m->to;
        }
        break;
    case DIRECTIVE_MIGC_LOCK_TIMEOUT:
    case DIRECTIVE_MIGC_STATEMENT_TIMEOUT:
        set_timeout(decl, src, m, is_up, d);
        break;
    case DIRECTIVE_MIGC_UNKNOWN: {
        char *msg = xasprintf("unknown directive `migc:%.*s` (migc knows "
                              "no-transaction, allow, squashes, lock-timeout "
                              "and statement-timeout)",
                              (int)m->word_len, src->bytes + m->word_off);
        add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE, msg);
        free(msg);
        break;
    }
    case DIRECTIVE_MIGC_MALFORMED:
        add_at(d, src, m->off, DIAG_ERROR, DIAG_DIRECTIVE, m->problem);
        break;
    default: break; /* another tool's marker: handled by its layout */
    }
}

/* ---- statements ------------------------------------------------------- */

long script_allow_find(const struct model_script *s, enum diag_rule rule,
                       size_t stmt_off)
{
    for (size_t i = 0; i < s->n_allows; i++) {
        const struct model_allow *a = &s->allows[i];
        if (strcmp(a->rule, diag_rule_id(rule)) == 0 &&
            (a->stmt_off == SIZE_MAX || a->stmt_off == stmt_off))
            return (long)i;
    }
    return -1;
}

/* A finding of this stage that an allow covers: the allow is used. */
static int script_allows(struct model_script *s, enum diag_rule rule,
                         size_t stmt_off)
{
    long i = script_allow_find(s, rule, stmt_off);
    if (i >= 0)
        s->allows[i].script_used = 1;
    return i >= 0;
}

static const char *control_name(const struct stmt_range *r)
{
    return r->txn_what ? r->txn_what : "transaction control";
}

/* The script's own transaction control, read as PostgreSQL would run it. */
enum own_txn {
    OWN_NONE,     /* no BEGIN, COMMIT or ROLLBACK */
    OWN_WRAPPER,  /* BEGIN first, COMMIT last, none between */
    OWN_BLOCKS,   /* several complete BEGIN ... COMMIT blocks */
    OWN_BROKEN    /* anything else: reported statement by statement */
};

/* SET TRANSACTION right after a BEGIN sets up that block (isolation level,
 * read only, snapshot), which PostgreSQL accepts before the block's first
 * query: part of a complete BEGIN ... COMMIT block, not control of its own. */
static int is_block_setup(const struct parse_result *r, size_t i)
{
    const char *what = r->stmts[i].txn_what;
    return i > 0 && r->stmts[i - 1].txn == STMT_TXN_BEGIN && what &&
           strncmp(what, "SET TRANSACTION", 15) == 0;
}

static enum own_txn own_transactions(const struct parse_result *r,
                                     size_t *n_blocks)
{
    int depth = 0, any = 0, sets = 0;
    *n_blocks = 0;
    for (size_t i = 0; i < r->n_stmts; i++) {
        enum stmt_txn t = r->stmts[i].txn;
        if (t == STMT_TXN_OK || t == STMT_TXN_NONE)
            continue;
        any = 1;
        if (t == STMT_TXN_BEGIN && !depth)
            depth = 1;
        else if (depth && is_block_setup(r, i))
            sets = 1;
        else if (t == STMT_TXN_COMMIT && depth) {
            depth = 0;
            ++*n_blocks;
        } else
            return OWN_BROKEN;
    }
    if (!any)
        return OWN_NONE;
    if (depth)
        return OWN_BROKEN;
    /* A SET TRANSACTION must open its transaction: in migc's own, the
     * runtime's statements come first, so the script runs as written. */
    if (*n_blocks == 1 && !sets && r->stmts[0].txn == STMT_TXN_BEGIN &&
        r->stmts[r->n_stmts - 1].txn == STMT_TXN_COMMIT)
        return OWN_WRAPPER;
    return OWN_BLOCKS;
}

/* Report what cannot work: transaction control migc cannot honour, and a
 * statement PostgreSQL refuses in a transaction inside a BEGIN block. */
static void check_control(struct model_script *s, const struct parse_result *r,
                          enum own_txn own, struct diags *d)
{
    int depth = own == OWN_WRAPPER;
    size_t first = own == OWN_WRAPPER ? 1 : 0;
    size_t last = own == OWN_WRAPPER ? r->n_stmts - 1 : r->n_stmts;
    for (size_t i = first; i < last; i++) {
        const struct stmt_range *sr = &r->stmts[i];
        char *msg = NULL;
        if (sr->txn == STMT_TXN_BEGIN)
            depth = 1;
        else if (sr->txn == STMT_TXN_COMMIT || sr->txn == STMT_TXN_ROLLBACK)
            depth = 0;
        if (sr->txn == STMT_TXN_NONE && depth)
            msg = xasprintf("%s cannot run inside %s BEGIN ... COMMIT: "
                            "PostgreSQL refuses it in a transaction block",
                            sr->txn_what,
                            own == OWN_WRAPPER ? "the script's own" : "a");
        else if (own == OWN_BROKEN && sr->txn != STMT_TXN_OK &&
                 sr->txn != STMT_TXN_NONE)
            msg = xasprintf(
                "%s inside a migration: migc runs each migration in a "
                "transaction of its own, and reads a script's own "
                "transactions only as complete BEGIN ... COMMIT blocks; "
                "split the migration, or declare `-- migc:no-transaction` "
                "to run it exactly as written",
                control_name(sr));
        if (msg)
            add_at(d, s->src, sr->off, DIAG_ERROR, DIAG_TRANSACTION_CONTROL,
                   msg);
        free(msg);
    }
}

/* Flyway on PostgreSQL runs a script outside a transaction when every
 * statement is one it detects as non-transactional
 * (parse_flyway_no_transaction), and refuses a script holding both kinds
 * unless its .sql.conf sets executeInTransaction. Returns -1 when it
 * refused (reported at the first statement of the other kind, where
 * Flyway stops), 1 when every statement is non-transactional, else 0. */
static int flyway_transactions(const struct model_script *s,
                               const struct parse_result *r, size_t first,
                               struct diags *d)
{
    if (s->n_stmts == 0)
        return 0;
    const char *head = parse_flyway_no_transaction(r->stmts[first].node);
    for (size_t i = 1; i < s->n_stmts; i++) {
        const char *none =
            parse_flyway_no_transaction(r->stmts[first + i].node);
        if (!none == !head)
            continue;
        char *msg = xasprintf(
            "Flyway refuses this migration (\"Detected both transactional "
            "and non-transactional statements within the same migration\"): "
            "this statement %s%s%s, the one at line %u %s%s%s; give the "
            "non-transactional statements a migration of their own, or say "
            "how the script runs with executeInTransaction in %s.conf",
            none ? "cannot run in a transaction (" : "is transactional",
            none ? none : "", none ? ")" : "", s->stmts[0].line,
            head ? "cannot run in one (" : "is transactional",
            head ? head : "",
            head ? ")" : "", s->src->path);
        add_at(d, s->src, s->stmts[i].off, DIAG_ERROR, DIAG_LAYOUT, msg);
        free(msg);
        return -1;
    }
    return head ? 1 : 0;
}

/* Transaction classes. A BEGIN ... COMMIT around the whole script is left
 * out (migc's own transaction replaces it). A script of several complete
 * BEGIN ... COMMIT blocks, or one that declares no-transaction, runs as
 * written outside a transaction of migc's. A statement PostgreSQL refuses
 * in a transaction makes its script run without one. */
static void classify(struct model_script *s, const struct parse_result *r,
                     int flyway, struct diags *d)
{
    const struct source *src = s->src;
    int declared = (s->flags & MIGC_SCRIPT_DECLARED_NO_TRANSACTION) != 0;
    size_t n_blocks;
    enum own_txn own = declared ? OWN_NONE : own_transactions(r, &n_blocks);
    size_t first = 0, last = r->n_stmts;
    if (own == OWN_WRAPPER) {
        first = 1;
        last--;
        s->flags |= MIGC_SCRIPT_WRAPPED;
        add_at(d, src, r->stmts[0].off, DIAG_NOTE, DIAG_TRANSACTION_CONTROL,
               "the script's own BEGIN ... COMMIT is left out: migc runs it "
               "in a transaction of its own");
    } else if (own == OWN_BLOCKS) {
        s->flags |= MIGC_SCRIPT_NO_TRANSACTION | MIGC_SCRIPT_OWN_TRANSACTIONS;
        char *msg = xasprintf(
            "the script manages its own transactions (%zu BEGIN ... COMMIT "
            "block%s): migc runs it as written, without a transaction of its "
            "own, so a failure after a COMMIT leaves it half-applied",
            n_blocks, n_blocks == 1 ? "" : "s");
        for (size_t i = 0; i < r->n_stmts; i++)
            if (r->stmts[i].txn == STMT_TXN_BEGIN) {
                if (!script_allows(s, DIAG_TRANSACTION_CONTROL,
                                   r->stmts[i].off))
                    add_at(d, src, r->stmts[i].off, DIAG_WARNING,
                           DIAG_TRANSACTION_CONTROL, msg);
                break;
            }
        free(msg);
    }
    /* A declared script runs exactly as written: its own transaction
     * control is its business, but a BEGIN block in it still refuses
     * what PostgreSQL refuses in a transaction block (own is OWN_NONE). */
    check_control(s, r, own, d);

    s->stmts = xcalloc(last - first + 1, sizeof *s->stmts);
    size_t first_none = SIZE_MAX;
    for (size_t i = first; i < last; i++) {
        const struct stmt_range *sr = &r->stmts[i];
        struct model_statement *st = &s->stmts[s->n_stmts++];
        st->off = sr->off;
        st->len = sr->len;
        source_position(src, st->off, &st->line, &st->col);
        hash_sha256_hex(src->bytes + st->off, st->len, st->checksum);
        memcpy(st->canonical, sr->canonical, sizeof st->canonical);
        st->node = sr->node;
        if (sr->txn == STMT_TXN_NONE) {
            st->flags |= MIGC_STMT_NO_TRANSACTION;
            if (first_none == SIZE_MAX)
                first_none = s->n_stmts - 1;
        }
    }
    if (declared)
        s->flags |= MIGC_SCRIPT_NO_TRANSACTION;
    int fw = flyway && !declared ? flyway_transactions(s, r, first, d) : 0;
    if (fw > 0)
        s->flags |= MIGC_SCRIPT_NO_TRANSACTION;
    if (first_none == SIZE_MAX || own == OWN_WRAPPER || fw < 0)
        return;
    s->flags |= MIGC_SCRIPT_NO_TRANSACTION;
    if (s->n_stmts > 1 && !declared &&
        !script_allows(s, DIAG_MIXED_TRANSACTION, s->stmts[first_none].off)) {
        const struct model_statement *none = &s->stmts[first_none];
        char *msg = xasprintf(
            "%s cannot run in a transaction, so this migration runs without "
            "one and its %zu statements are not applied atomically: a "
            "failure can leave it half-applied; give the statement a "
            "migration of its own",
            r->stmts[first + first_none].txn_what, s->n_stmts);
        add_at(d, src, none->off, DIAG_WARNING, DIAG_MIXED_TRANSACTION, msg);
        free(msg);
    }
}

/* Parse one script, then its directives (lo..hi: the lines that belong to
 * it) and statement classes. */
static void build_script(struct build *b, struct model_script *s,
                         const struct directive_list *dl, size_t lo,
                         size_t hi, int is_up)
{
    struct diags *d = b->d;
    const struct source *src = s->src;
    hash_sha256_hex(src->bytes + s->off, s->end - s->off, s->checksum);
    struct parse_result r;
    size_t err_off = 0;
    if (parse_section(src, s->off, s->end, &r, &err_off) != 0) {
        add_at(d, src, err_off, DIAG_ERROR, DIAG_SYNTAX, r.error);
        parse_result_free(&r);
        return;
    }
    memcpy(s->canonical, r.canonical, sizeof s->canonical);
    /* Directives first: they decide how statements are classified. */
    for (size_t i = 0; i < dl->n; i++) {
        const struct directive *m = &dl->items[i];
        if (m->line_off >= lo && m->line_off < hi)
            apply_directive(b, s, m, is_up, &r);
    }
    unsigned conf = is_up ? MIGRATION_FILE_UP_TXN_DECLARED
                          : MIGRATION_FILE_DOWN_TXN_DECLARED;
    classify(s, &r,
             b->in->layout == LAYOUT_FLYWAY && !(b->in->file->flags & conf),
             d);
    if (is_up && s->n_stmts == 0 &&
        !script_allows(s, DIAG_EMPTY_MIGRATION, 0))
        diag_add(d, src->path, 0, 0, DIAG_ERROR, DIAG_EMPTY_MIGRATION,
                 "%s holds no SQL statement (only whitespace or comments)",
                 s->off == 0 && s->end == src->len ? "migration"
                                                    : "the up section");
    s->tree = r.tree;
    r.tree = NULL;
    parse_result_free(&r);
}

void script_build(const struct script_input *in, struct model_script *up,
                  struct model_script *down, struct script_decl *decl,
                  struct diags *d)
{
    if (!up->src)
        return; /* not loaded: reported */
    struct build b = {.in = in, .up = up, .down = down, .decl = decl, .d = d};
    enum layout layout = in->layout;
    const struct marker_set *ms = layout == LAYOUT_DBMATE  ? &dbmate
                                  : layout == LAYOUT_GOOSE ? &goose
                                                           : NULL;
    size_t len = up->src->len;
    if (ms) {
        if (layout == LAYOUT_GOOSE)
            goose_directives(&b);
        if (split_sections(&b, ms) != 0)
            return;
        if (in->no_down)
            down->present = 0;
        if (in->file->flags & MIGRATION_FILE_NO_TRANSACTION)
            up->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
        /* the lines before the up marker belong to the up script */
        build_script(&b, up, in->up_dirs, 0, up->end, 1);
        if (down->present)
            build_script(&b, down, in->up_dirs, down->off, len, 0);
        return;
    }
    up->off = up->src->bom; /* Flyway skips a byte order mark */
    up->end = len;
    unsigned ff = in->file->flags;
    if (ff & (MIGRATION_FILE_NO_TRANSACTION | MIGRATION_FILE_UP_NO_TRANSACTION))
        up->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
    if (ff &
        (MIGRATION_FILE_NO_TRANSACTION | MIGRATION_FILE_DOWN_NO_TRANSACTION))
        down->flags |= MIGC_SCRIPT_DECLARED_NO_TRANSACTION;
    build_script(&b, up, in->up_dirs, 0, len, 1);
    if (down->present)
        build_script(&b, down, in->down_dirs, 0, down->end, 0);
}

void script_release(struct model_script *s)
{
    free(s->stmts);
    s->stmts = NULL;
    parse_tree_free(s->tree);
    s->tree = NULL;
}

void script_free(struct model_script *s)
{
    script_release(s);
    for (size_t i = 0; i < s->n_allows; i++)
        free(s->allows[i].rule);
    free(s->allows);
    free(s->source_path);
    *s = (struct model_script){0};
}
