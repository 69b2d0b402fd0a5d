CREATE INDEX audit_events_created_idx ON audit_events (created_at);
UPDATE audit_events SET actor = 'x' WHERE id = 1;
