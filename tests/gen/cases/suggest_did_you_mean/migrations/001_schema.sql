CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL,
                      display_name text);
CREATE TABLE billing.invoice (id bigint PRIMARY KEY, total numeric);
CREATE TABLE card (id bigint PRIMARY KEY);
CREATE TABLE care (id bigint PRIMARY KEY);
CREATE FUNCTION normalize_email(e text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(e)) $$;
