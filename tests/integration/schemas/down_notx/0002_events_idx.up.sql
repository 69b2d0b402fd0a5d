-- migc:allow mixed-transaction two indexes built in one migration on purpose
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
CREATE INDEX CONCURRENTLY events_note_idx ON events (note);
