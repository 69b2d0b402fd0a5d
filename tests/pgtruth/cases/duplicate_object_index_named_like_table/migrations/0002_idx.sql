CREATE INDEX users ON users (email);
