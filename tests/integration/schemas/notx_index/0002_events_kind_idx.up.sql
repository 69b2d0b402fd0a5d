-- PostgreSQL refuses this in a transaction block: migc runs it alone.
CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);
