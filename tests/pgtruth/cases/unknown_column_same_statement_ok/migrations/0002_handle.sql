ALTER TABLE users ADD COLUMN handle text,
    ADD CONSTRAINT users_handle_key UNIQUE (handle),
    ADD CONSTRAINT users_handle_len CHECK (length(handle) < 40);
COMMENT ON COLUMN users.handle IS 'public name';
