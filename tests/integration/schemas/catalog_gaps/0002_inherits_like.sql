-- INHERITS: columns, NOT NULL and CHECKs (not indexes); LIKE ... INCLUDING.
CREATE TABLE base (a int NOT NULL, b text DEFAULT 'x' CHECK (b <> ''),
                   CONSTRAINT base_a_pos CHECK (a > 0));
CREATE INDEX base_a_idx ON base (a);
CREATE TABLE kid (c int) INHERITS (base);
ALTER TABLE base ADD CONSTRAINT base_b_short CHECK (length(b) < 10);

CREATE TABLE src (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL DEFAULT 'n' CHECK (length(name) > 1),
    code text UNIQUE,
    g int GENERATED ALWAYS AS (id * 2) STORED,
    CONSTRAINT src_name_chk CHECK (name <> 'bad')
);
CREATE INDEX src_lower_idx ON src (lower(name));
CREATE TABLE l_all (LIKE src INCLUDING ALL);
CREATE TABLE l_defaults (LIKE src INCLUDING DEFAULTS);
CREATE TABLE l_constraints (LIKE src INCLUDING CONSTRAINTS);
CREATE TABLE l_indexes (LIKE src INCLUDING INDEXES);
CREATE TABLE l_plain (LIKE src);
CREATE TABLE l_identity (LIKE src INCLUDING IDENTITY);
