CREATE INDEX users_display_idx ON users ("displayName");
