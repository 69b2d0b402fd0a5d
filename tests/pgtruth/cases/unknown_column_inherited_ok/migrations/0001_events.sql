CREATE TABLE events (id bigint, created_at timestamptz);
CREATE TABLE audit_events (actor text) INHERITS (events);
