-- migc:allow mixed-transaction a down script that stops part-way, on purpose
-- No IF EXISTS: a resumed run that ran the first statement again would
-- fail on it.
DROP INDEX CONCURRENTLY events_kind_idx;
DROP INDEX CONCURRENTLY events_missing_idx;
DROP INDEX CONCURRENTLY events_note_idx;
