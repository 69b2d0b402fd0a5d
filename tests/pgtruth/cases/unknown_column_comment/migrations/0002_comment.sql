COMMENT ON COLUMN users.mail IS 'where we write';
