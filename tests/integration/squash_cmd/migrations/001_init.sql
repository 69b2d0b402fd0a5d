CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE people (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    feeling mood
);
CREATE TABLE stub (id int);
CREATE TABLE pack (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ref text NOT NULL UNIQUE,
    label text NOT NULL
);
