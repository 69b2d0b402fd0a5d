-- notes, unqualified: in the schema the search_path names (fleet.sh).
CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);
