CREATE INDEX users_full_name_idx ON users (full_name);
