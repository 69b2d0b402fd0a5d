CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL, name text, plan text);
CREATE VIEW account_names AS SELECT a.id, a.name FROM account a;
