/* rule.h: what a rule family (a file of gen/rules/) sees: the rules'
 * state, the handlers DIAG_RULE_MAP registers, how a finding is reported. */
#ifndef MIGC_GEN_RULES_RULE_H
#define MIGC_GEN_RULES_RULE_H

#include <stdint.h>

#include "diag.h"
#include "rules.h"
#include "semantics.h"
#include "table.h"

/* An identifier of the statement at hand over PostgreSQL's 63 bytes. */
struct rules_ident {
    size_t off;      /* in the script's file */
    char *name;      /* as written (folded, unquoted) */
    char *truncated; /* what PostgreSQL makes of it */
};

/* A session setting a migration changed and has not reset yet. */
struct rules_pending_set {
    char *name;
    const struct model_statement *stmt;
    int32_t loc;
    int via_set_config;
};

struct rules {
    struct sem *sem;
    struct diags *d;
    const char *ledger; /* ledger-collision: migc's ledger table */
    unsigned churn;     /* churn: the limit */
    /* session-state: what this migration changed and has not reset,
     * reported at its end, where it leaks into the next one */
    struct rules_pending_set pending[16];
    size_t n_pending;
    /* constraint-not-valid: "schema.table.name" of the constraints this
     * migration added NOT VALID */
    struct table not_valid_here;
    /* not-null-no-default, set-not-null: "schema.table.column" of the
     * nullable columns this migration added to existing tables, without a
     * default and not filled by any statement since, or with a default */
    struct table added_unfilled, added_filled;
    /* enum-value-in-transaction: "TYPE\nLABEL" of the values ALTER TYPE
     * ... ADD VALUE added in this migration's transaction */
    struct table enum_added;
    /* no-lock-timeout: reported in this migration; a SET lock_timeout */
    int lock_timeout_noted, lock_timeout_set;
    /* identifier-length: the long identifiers of the statement at hand
     * (read once: idents_mig, idents_off), and every spelling written so
     * far under its truncated name (names.c) */
    struct rules_ident *idents;
    size_t n_idents, idents_mig, idents_off;
    int idents_scanned;
    struct table long_names;
    /* The stage's output beside its findings: allow_used[mig][k] is set
     * when the up script's allows[k] of migration mig silenced a finding
     * (a row is NULL until one does). */
    unsigned char **allow_used;
    size_t n_migrations;
};

/* A rule's handler: called with every event of the semantics, in
 * DIAG_RULE_MAP's order; it ignores those it does not weigh. */
typedef void rule_fn(struct rules *r, const struct sem *s,
                     const struct sem_event *ev);

#define RULE_X_DECLARE(name, id, fixed, sev, handler, text) rule_fn handler;
DIAG_RULE_MAP(RULE_X_DECLARE)
#undef RULE_X_DECLARE

/* rule's severity unless --severity changes it (DIAG_RULE_MAP). */
enum diag_severity rule_severity(enum diag_rule rule);

/* Report a finding of rule about the statement at hand, at byte offset loc
 * of its file (-1: the statement's start), at the rule's severity, unless
 * a migc:allow covers it. */
void rule_report(struct rules *r, const struct sem *s, enum diag_rule rule,
                 int32_t loc, const char *fmt, ...) GEN_PRINTF(5, 6);

/* The same about statement st of the script at hand, at severity sev. */
void rule_report_at(struct rules *r, const struct sem *s,
                    const struct model_statement *st, enum diag_severity sev,
                    enum diag_rule rule, int32_t loc, const char *fmt, ...)
    GEN_PRINTF(7, 8);

/* Whether a migc:allow of script, migration mig's up script, covers rule
 * for the statement at byte offset stmt_off (the allow is then used). */
int rule_allowed(struct rules *r, const struct model_script *script,
                 size_t mig, enum diag_rule rule, size_t stmt_off);

/* For a duplicate of name: "" unless PostgreSQL's truncation of two
 * different names written in the migrations made them name (loc: the
 * event's); then what to add to the message, naming both. Allocated. */
char *rules_truncation_note(struct rules *r, const struct sem *s,
                            const char *name, int32_t loc);

/* Free what identifier-length keeps. */
void rules_names_free(struct rules *r);

#endif
