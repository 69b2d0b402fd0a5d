-- Applies cleanly: the first migration of bad is recorded.
CREATE TABLE widgets (id integer PRIMARY KEY);
