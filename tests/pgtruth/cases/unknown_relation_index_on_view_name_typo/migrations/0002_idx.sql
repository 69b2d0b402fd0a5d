CREATE INDEX users_name_idx ON user_s (name);
