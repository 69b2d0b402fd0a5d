CREATE TABLE entries (id integer PRIMARY KEY, note text NOT NULL);
