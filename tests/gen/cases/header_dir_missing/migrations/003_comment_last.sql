CREATE INDEX users_email ON users (email);
-- trailing comment, no semicolon after the last statement
