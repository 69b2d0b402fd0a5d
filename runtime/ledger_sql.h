/* ledger_sql.h: the columns of migc's ledger and pack ledger, shared by
 * the runtime (record.c), which creates and upgrades them, and by `adopt`
 * in the cli library (adopt_write.c), which creates the same ledger. */
#ifndef MIGC_RUNTIME_LEDGER_SQL_H
#define MIGC_RUNTIME_LEDGER_SQL_H

/* The columns of this runtime's ledger (the first eight are in every
 * ledger; adopted_from since `adopt`). */
#define MIGC_LEDGER_COLUMNS                                                   \
    "version bigint PRIMARY KEY,"                                             \
    " name text NOT NULL,"                                                    \
    " checksum text NOT NULL,"                                                \
    " applied_at timestamptz NOT NULL DEFAULT now(),"                         \
    " duration_us bigint NOT NULL DEFAULT 0,"                                 \
    " success boolean NOT NULL DEFAULT true,"                                 \
    " failed_statement integer,"                                              \
    " error text,"                                                            \
    " canonical text,"                                                        \
    " completed integer NOT NULL DEFAULT 0,"                                  \
    " sqlstate text,"                                                         \
    " holder text,"                                                           \
    " holder_pid integer,"                                                    \
    " heartbeat timestamptz,"                                                 \
    " down_completed integer,"                                                \
    " adopted_from text"

/* What a ledger of an older runtime lacks (ALTER TABLE ...). */
#define MIGC_LEDGER_UPGRADE                                                   \
    " ADD COLUMN IF NOT EXISTS canonical text,"                               \
    " ADD COLUMN IF NOT EXISTS completed integer NOT NULL DEFAULT 0,"         \
    " ADD COLUMN IF NOT EXISTS sqlstate text,"                                \
    " ADD COLUMN IF NOT EXISTS holder text,"                                  \
    " ADD COLUMN IF NOT EXISTS holder_pid integer,"                           \
    " ADD COLUMN IF NOT EXISTS heartbeat timestamptz,"                        \
    " ADD COLUMN IF NOT EXISTS down_completed integer,"                       \
    " ADD COLUMN IF NOT EXISTS adopted_from text"

#define MIGC_PACK_COLUMNS                                                     \
    "name text PRIMARY KEY,"                                                  \
    " checksum text NOT NULL,"                                                \
    " synced_at timestamptz NOT NULL DEFAULT now()"

#endif
